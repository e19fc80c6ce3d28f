// Process plumbing shared by `npm run dev`, `npm start` and the test harness: free ports,
// child services with prefixed output, readiness checks over HTTP, and .env files.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

/** A port the OS says is free right now on loopback. */
export function freePort() {
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
