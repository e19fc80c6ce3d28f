// Process plumbing shared by `npm run dev`, `npm start` and the test harness: free ports,
// child services with prefixed output, readiness checks over HTTP, and .env files.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

/**
 * Node options for the socket server, given by every launcher here (npm run dev and start, the
 * tests, the bench); start it by hand with them too (README, "Scaling out").
 * A young generation of 2 × 4 MB instead of V8's 2 × 16 MB: a server that holds thousands of idle
 * connections should not keep 32 MB of nursery committed after a burst of handshakes. The bench's
 * 3,000 idle connections, in one run each: 28.7 kB per connection with 8 MB, 16.4 kB with 4 MB
 * (the bare Socket.IO relay: 21.6 kB with V8's default, 15.6 kB with the same option), handshakes/s
 * and the reconnect storm within the run-to-run noise. (The old generation's growth is set at run
 * time by socket-server/index.ts, which a command line cannot forget.)
 */
export const SOCKET_SERVER_NODE_ARGS = ["--max-semi-space-size=4"];

// Ports are chosen below the kernel's ephemeral range (from which outgoing connections take
// theirs, and which `listen(0)` draws from): a port picked there and released could be taken by
// any connection opened before the service binds it, which test files running side by side made
// happen. Random, never handed out twice by one process, and checked bindable on every interface.
const handedOut = new Set();

function ephemeralStart() {
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    return Number.isInteger(low) ? low : 32768;
  } catch {
    return 32768;
  }
}

function canBind(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

function osPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A port that is free right now (racy by nature: the caller should bind it soon). */
export async function freePort() {
  const high = Math.min(ephemeralStart(), 65536) - 1;
  const low = 20000;
  for (let attempt = 0; high > low && attempt < 50; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canBind(port)) return port;
  }
  return osPort();
}

/** Loads .env then .env.local into process.env without overriding what is already set. */
export function loadEnvFiles() {
  for (const name of [".env.local", ".env"]) {
    const file = path.join(root, name);
    if (existsSync(file)) process.loadEnvFile(file);
  }
}

/**
 * Starts a long-running child. Output is prefixed with its name (or kept quiet when
 * `quiet`, with the last `keepLines` lines kept for error reports and checks). `stop()` ends it
 * by its own pid.
 */
/** @param {{ name: string, command: string, args: string[], env?: Record<string, string | undefined>, quiet?: boolean, keepLines?: number }} options */
export function startService({ name, command, args, env, quiet = false, keepLines = 80 }) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const tail = [];
  const onData = (stream) => (chunk) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > keepLines) tail.shift();
      if (!quiet) stream.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout.on("data", onData(process.stdout));
  child.stderr.on("data", onData(process.stderr));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    name,
    pid: child.pid,
    child,
    exited,
    tail: () => tail.join("\n"),
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Polls a URL until it answers 2xx; fails early if the service exits first.
 * @param {string} url
 * @param {{ service?: { name: string, exited: Promise<unknown>, tail(): string }, timeoutMs?: number }} [options]
 */
export async function waitForHttp(url, { service, timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  service?.exited.then((result) => (exited = result));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${service.name} exited (${JSON.stringify(exited)}) before ${url} was ready:\n${service.tail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms${service ? `:\n${service.tail()}` : ""}`);
}
