// The embedded database: SecantusDB, a MongoDB-compatible server on WiredTiger from PyPI, run as
// its own process (GPL-2.0; Parley only talks to it over the wire). Installed once into a
// virtual environment under .data/ (a fresh one when the pinned version changes) and started on
// a free loopback port. Plain ESM with node built-ins only, so the dev scripts, `npm start`, the
// test harness and the bench can all import it without a TypeScript step.
//
// CLI (`npm run db`): node scripts/embedded-db/launch.mjs [--port 27017] [--data .data/db]

import { spawn } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The one version Parley is tested against. Changing it installs a fresh environment on next start. */
export const SECANTUS_VERSION = "0.7.0b3";
const PYTHON_MIN = [3, 10];
const PYTHON_MAX = [3, 13];

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultRoot = path.resolve(here, "..", "..");
const READY_TIMEOUT_MS = 60_000;
const KILL_AFTER_MS = 10_000;
const OR_URI = "or set MONGODB_URI to a MongoDB 6+ server";

/** Runs a command to completion: { code, stdout, stderr }; rejects only if it cannot be spawned. */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const venvDir = (root) => path.join(root, ".data", `secantus-${SECANTUS_VERSION}`);
const venvPython = (dir) => (process.platform === "win32" ? path.join(dir, "Scripts", "python.exe") : path.join(dir, "bin", "python"));
const versionText = (v) => v.join(".");

/** A Python 3.10–3.13 with venv support, or an Error whose message is the one line to show. */
async function findPython() {
  const candidates = process.env.PARLEY_PYTHON ? [process.env.PARLEY_PYTHON] : ["python3", "python"];
  const wanted = `Python ${versionText(PYTHON_MIN)}–${versionText(PYTHON_MAX)}`;
  let found = null;
  for (const cmd of candidates) {
    // ensurepip is what Debian leaves out without python3-venv, and what `python -m venv` needs.
    const probe = await run(cmd, ["-c", "import sys; print(sys.version_info[0], sys.version_info[1]); import venv, ensurepip"]).catch(() => null);
    if (!probe) continue;
    const version = probe.stdout.trim().split(/\s+/).map(Number);
    if (version.length !== 2 || version.some(Number.isNaN)) continue;
    const inRange = compare(version, PYTHON_MIN) >= 0 && compare(version, PYTHON_MAX) <= 0;
    if (!inRange) {
      found ??= new Error(`The embedded database needs ${wanted}; ${cmd} is ${versionText(version)}. Install one (or point PARLEY_PYTHON at it), ${OR_URI}.`);
      continue;
    }
    if (probe.code !== 0) {
      return new Error(`The embedded database needs Python's venv module: install it (Debian/Ubuntu: apt-get install python3-venv), ${OR_URI}.`);
    }
    return cmd;
  }
  return found ?? new Error(`The embedded database needs ${wanted} (none found on PATH; PARLEY_PYTHON names one): install it, ${OR_URI}.`);
}

function compare(a, b) {
  return a[0] - b[0] || a[1] - b[1];
}

// One installation per process even if several callers race (e.g. parallel test setup).
const installing = new Map();

/**
 * Makes sure .data/secantus-<version>/ holds a virtual environment with the pinned SecantusDB.
 * It is built in a temporary directory and renamed into place, so a concurrent or interrupted
 * install never leaves a half-made environment behind; environments of other versions are removed.
 * @returns {Promise<string>} the environment's python
 */
export function ensureEmbeddedDb({ root = defaultRoot } = {}) {
  root = path.resolve(root);
  if (!installing.has(root)) {
    const pending = install(root);
    installing.set(root, pending);
    pending.catch(() => installing.delete(root)); // allow a retry after e.g. installing python3-venv
  }
  return installing.get(root);
}

async function install(root) {
  const dir = venvDir(root);
  const python = venvPython(dir);
  if (existsSync(python)) return python;

  const system = await findPython();
  if (system instanceof Error) throw system;
  const dataRoot = path.join(root, ".data");
  await mkdir(dataRoot, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  process.stderr.write(`embedded database: installing SecantusDB ${SECANTUS_VERSION} into ${path.relative(root, dir)} (once; about 150 MB)…\n`);
  const started = Date.now();
  try {
    const made = await run(system, ["-m", "venv", tmp]);
    if (made.code !== 0) throw new Error(`could not create a virtual environment with ${system}: ${lastLines(made.stderr || made.stdout)}`);
    const pip = await run(venvPython(tmp), ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet", `SecantusDB==${SECANTUS_VERSION}`]);
    if (pip.code !== 0) throw new Error(`pip could not install SecantusDB==${SECANTUS_VERSION} (is PyPI reachable?): ${lastLines(pip.stderr || pip.stdout)}`);
    await writeFile(path.join(tmp, "parley-secantus-version"), `${SECANTUS_VERSION}\n`);
    try {
      await rename(tmp, dir);
    } catch (error) {
      // Another process finished first: use its environment.
      if (!existsSync(python)) throw error;
    }
  } catch (error) {
    throw new Error(`embedded database: ${error.message} — ${OR_URI}.`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  for (const name of readdirSync(dataRoot)) {
    if (/^secantus-/.test(name) && path.join(dataRoot, name) !== dir && !name.includes(".tmp-")) {
      await rm(path.join(dataRoot, name), { recursive: true, force: true });
    }
  }
  process.stderr.write(`embedded database: installed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return python;
}

function lastLines(text, count = 6) {
  return text.trim().split("\n").slice(-count).join(" | ");
}

/** Asks the OS for a free port. Racy by nature; startEmbeddedDb retries when it was taken. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the embedded database and resolves once it accepts connections.
 * @param {object} opts
 * @param {string} [opts.root] repo root
 * @param {string} [opts.dataDir] storage directory, relative to root (default .data/db)
 * @param {number} [opts.port] 0/undefined picks a free port
 * @param {boolean} [opts.syncEveryCommit] journal every commit, whatever the write asked for (EMBEDDED_DB_SYNC=1)
 * @returns {Promise<{ uri: string, pid: number, exited: Promise<{ code: number | null, signal: string | null }>, stop: () => Promise<void> }>}
 *   uri is database-neutral (mongodb://127.0.0.1:PORT/); `exited` settles if the server stops for
 *   any reason, including stop(). The child keeps the Node event loop alive until stop().
 */
export async function startEmbeddedDb({ root = defaultRoot, dataDir, port, syncEveryCommit = process.env.EMBEDDED_DB_SYNC === "1" } = {}) {
  root = path.resolve(root);
  const python = await ensureEmbeddedDb({ root });
  const dir = path.resolve(root, dataDir ?? path.join(".data", "db"));
  await mkdir(dir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnServer(python, dir, port || (await freePort()), syncEveryCommit);
    } catch (error) {
      if (!port && attempt < 3 && /address already in use|errno 98/i.test(error.message)) continue;
      throw error;
    }
  }
}

function spawnServer(python, dir, port, syncEveryCommit) {
  const args = [
    path.join(here, "child.py"),
    // An empty configuration: no secantusd.toml found in the working or home directory applies.
    "--config", path.join(here, "secantusd.toml"),
    "--host", "127.0.0.1",
    "--port", String(port),
    "--storage-path", dir,
    // A plain server, as a standalone mongod: no replica-set advertisement, so nothing in Parley
    // can come to rely on change streams or transactions (DESIGN.md "Database").
    "--standalone",
    "--log-level", "WARNING",
    // Commits reach the journal on an interval (about 100 ms, as on mongod), except writes that
    // ask for `journal: true`, which Parley's client does for everything it acknowledges
    // (lib/db/client.ts): a kill -9 of this server lost 63-92 of 350 acknowledged plain inserts
    // here, and none of 350 journalled ones. EMBEDDED_DB_SYNC=1 journals every commit.
    ...(syncEveryCommit ? ["--sync-on-commit"] : []),
  ];
  // stdin stays an open pipe: when this process dies, the child sees end-of-file and stops (child.py).
  const child = spawn(python, ["-u", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  const tail = [];
  let ready = false;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      tail.push(line);
      if (tail.length > 50) tail.shift();
      if (ready) process.stderr.write(`[secantus] ${line}\n`);
    });
  }
  const tailText = () => (tail.length ? `\n${tail.slice(-20).join("\n")}` : "");
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const onParentExit = () => child.kill("SIGKILL"); // process.exit() skips async cleanup
  process.on("exit", onParentExit);

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      process.off("exit", onParentExit);
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, "SIGCONT"); // a paused server cannot act on SIGTERM
        } catch {
          // already gone
        }
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
        await exited;
        clearTimeout(timer);
      }
      child.stdin.destroy();
    })();
    return stopping;
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop().finally(() => reject(new Error(`${message}${tailText()}`)));
    };
    const timer = setTimeout(() => fail(`embedded database: not accepting connections after ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    child.on("error", (error) => fail(`embedded database: could not start ${python}: ${error.message}`));
    void exited.then(({ code, signal }) => {
      if (!ready) fail(`embedded database: exited before accepting connections (${signal ?? `code ${code}`})`);
      else if (!stopping) process.stderr.write(`embedded database (SecantusDB, pid ${child.pid}) died: ${signal ?? `exit code ${code}`}${tailText()}\n`);
    });
    const poll = () => {
      if (settled) return;
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        if (settled) return;
        settled = true;
        ready = true;
        clearTimeout(timer);
        resolve({ uri: `mongodb://127.0.0.1:${port}/`, pid: child.pid, exited, stop });
      });
      socket.once("error", () => {
        socket.destroy();
        setTimeout(poll, 50);
      });
    };
    poll();
  });
}

async function main(argv) {
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  // Handlers first: a non-interactive shell starts background jobs with SIGINT ignored, so a
  // signal arriving during the install or start would otherwise be lost.
  let db;
  let shuttingDown = false;
  const shutdown = async () => {
    shuttingDown = true;
    if (!db) process.exit(130); // still installing or starting; the exit hook kills a half-started child
    await db.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  const data = opt("--data");
  db = await startEmbeddedDb({ port: Number(opt("--port") ?? 27017), dataDir: data && path.resolve(data) });
  console.log(`SecantusDB ${SECANTUS_VERSION} at ${db.uri} (pid ${db.pid}); Ctrl-C stops it`);
  await db.exited;
  if (!shuttingDown) process.exit(1); // the death itself was reported above
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
