// Builds and runs the embedded MongoDB-compatible database (FerretDB on SQLite,
// see main.go). Plain ESM with only node built-ins so dev scripts, production
// start and test harnesses can all import it without a TypeScript step.
//
// CLI: node tools/ferretdb/launch.mjs [--port 27017] [--data .data/db] [--memory]

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultRoot = path.resolve(here, '..', '..');
const exe = process.platform === 'win32' ? 'ferretdb.exe' : 'ferretdb';
const NO_GO =
  "Embedded database needs Go 1.24+ on PATH (https://go.dev/dl; Debian 12's golang package is 1.19, too old) — or set MONGODB_URI to a MongoDB 6+ server.";
const READY_TIMEOUT_MS = 60_000;
const KILL_AFTER_MS = 5_000;

/** Runs a command, resolving with { code, stdout, stderr }; rejects only if it can't be spawned. */
function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const goEnv = () => ({ ...process.env, GOTOOLCHAIN: 'local' }); // never auto-download a toolchain

// One build per process even if several callers race (e.g. parallel test setup).
const building = new Map();

/**
 * Builds <root>/.data/bin/ferretdb once. Rebuilds only when the hash of
 * main.go/go.mod/go.sum differs from the stamp written by the last build
 * (a hash, not mtimes, because git checkouts touch mtimes arbitrarily).
 * If the binary is up to date, Go is not needed at all.
 * @returns {Promise<string>} absolute path of the binary
 */
export async function ensureFerretDbBinary({ root = defaultRoot } = {}) {
  root = path.resolve(root);
  if (!building.has(root)) {
    const p = build(root);
    building.set(root, p);
    p.catch(() => building.delete(root)); // allow a retry after e.g. installing Go
  }
  return building.get(root);
}

async function build(root) {
  const srcDir = path.join(root, 'tools', 'ferretdb');
  const binDir = path.join(root, '.data', 'bin');
  const bin = path.join(binDir, exe);
  const stampFile = `${bin}.stamp`;

  const hash = createHash('sha256').update(`${process.platform}-${process.arch}\n`);
  for (const f of ['main.go', 'go.mod', 'go.sum']) hash.update(await readFile(path.join(srcDir, f)));
  const stamp = hash.digest('hex');

  const oldStamp = await readFile(stampFile, 'utf8').catch(() => '');
  if (oldStamp.trim() === stamp && existsSync(bin)) return bin;

  let ver;
  try {
    ver = await run('go', ['env', 'GOVERSION'], { cwd: srcDir, env: goEnv() });
  } catch (err) {
    if (err.code === 'ENOENT') throw new Error(NO_GO);
    throw err;
  }
  const m = /go1\.(\d+)/.exec(ver.stdout);
  if (ver.code !== 0 || (m && Number(m[1]) < 24)) throw new Error(NO_GO);

  process.stderr.write(
    `ferretdb: building embedded database with ${ver.stdout.trim()} (first build downloads Go modules and can take a few minutes)…\n`,
  );
  const started = Date.now();
  await mkdir(binDir, { recursive: true });
  // Build to a temp name and rename: a concurrent process never sees a half-written binary,
  // and renaming over a running binary is safe.
  const tmp = `${bin}.tmp-${process.pid}`;
  // -buildvcs=false: the repo may have no commits (or be a worktree), which makes VCS stamping fail.
  const res = await run('go', ['build', '-trimpath', '-buildvcs=false', '-ldflags=-s -w', '-o', tmp, '.'], {
    cwd: srcDir,
    env: goEnv(),
  });
  if (res.code !== 0) {
    await rm(tmp, { force: true });
    const tail = res.stderr.trim().split('\n').slice(-20).join('\n');
    throw new Error(`ferretdb: go build failed (exit ${res.code}):\n${tail}`);
  }
  await rename(tmp, bin);
  await writeFile(stampFile, `${stamp}\n`);
  process.stderr.write(`ferretdb: built ${path.relative(root, bin)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return bin;
}

/** Asks the OS for a free port. Racy by nature; startFerretDb retries on EADDRINUSE. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts FerretDB and resolves once it accepts connections.
 * @param {object} opts
 * @param {string} [opts.root] repo root (default: two levels above this file)
 * @param {string} [opts.dataDir] SQLite directory; relative paths are resolved against root (default: .data/db)
 * @param {number} [opts.port] 0/undefined picks a free port
 * @param {boolean} [opts.memory] keep data in memory only (dataDir must still be a directory; it is created)
 * @returns {Promise<{ uri: string, pid: number, stop: () => Promise<void> }>}
 *   uri is database-neutral: mongodb://127.0.0.1:PORT/
 *   The child keeps the Node event loop alive until stop() is called.
 */
export async function startFerretDb({ root = defaultRoot, dataDir, port, memory = false } = {}) {
  root = path.resolve(root);
  const bin = await ensureFerretDbBinary({ root });
  const dir = path.resolve(root, dataDir ?? path.join('.data', 'db'));
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnServer(bin, dir, port || (await freePort()), memory);
    } catch (err) {
      // Another process grabbed the port we picked between probing and binding.
      if (!port && attempt < 3 && /address already in use/i.test(err.message)) continue;
      throw err;
    }
  }
}

function spawnServer(bin, dir, port, memory) {
  const args = ['-listen', `127.0.0.1:${port}`, '-data', dir, '-stdin-watch'];
  if (memory) args.push('-memory');
  // stdin stays an open pipe: if this process dies without stop(), the child sees EOF and exits.
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });

  // Keep recent stderr for error messages; only pass warnings/errors/panics through to our stderr.
  // Before ready, stderr only goes into the rejection message (so it isn't printed twice).
  const tail = [];
  let ready = false;
  createInterface({ input: child.stderr }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 50) tail.shift();
    if (ready && /level=(WARN|ERROR)|^ferretdb:|^panic|^fatal/i.test(line)) process.stderr.write(`[ferretdb] ${line}\n`);
  });
  const tailText = () => (tail.length ? `\n${tail.slice(-20).join('\n')}` : '');

  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const onParentExit = () => child.kill('SIGKILL'); // process.exit() skips async cleanup
  process.on('exit', onParentExit);

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      process.off('exit', onParentExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
        await exited;
        clearTimeout(timer);
      }
      child.stdin.destroy();
    })();
    return stopping;
  };

  return new Promise((resolve, reject) => {
    const fail = (msg) => {
      clearTimeout(timer);
      stop().finally(() => reject(new Error(`${msg}${tailText()}`)));
    };
    const timer = setTimeout(() => fail(`ferretdb: not ready after ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);

    child.on('error', (err) => fail(`ferretdb: failed to start ${bin}: ${err.message}`));
    exited.then(({ code, signal }) => {
      if (!ready) fail(`ferretdb: exited before ready (${signal ?? `code ${code}`})`);
      else if (!stopping) process.stderr.write(`ferretdb: exited unexpectedly (${signal ?? `code ${code}`})${tailText()}\n`);
    });

    createInterface({ input: child.stdout }).on('line', (line) => {
      if (ready || !line.startsWith('ready ')) return;
      ready = true;
      clearTimeout(timer);
      resolve({ uri: line.slice('ready '.length).trim(), pid: child.pid, stop });
    });
  });
}

async function main(argv) {
  const opt = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  // Handlers go in first: a non-interactive shell starts background jobs with SIGINT
  // ignored, so a signal arriving during the build/start would otherwise be lost.
  let db;
  const shutdown = async () => {
    if (!db) process.exit(130); // still building/starting; the exit hook kills a half-started child
    await db.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  const data = opt('--data');
  db = await startFerretDb({
    port: Number(opt('--port') ?? 27017),
    dataDir: data && path.resolve(data), // CLI paths are relative to cwd
    memory: argv.includes('--memory'),
  });
  console.log(db.uri);
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
