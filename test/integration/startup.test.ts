// Start-up: the socket server opens its port before it loads its modules, so a client arriving
// during those first few hundred milliseconds — every client after a restart — is held and
// served, not refused (socket-server/index.ts). Runs the built server; no database is needed:
// /health answers "degraded" without one.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect as tcp } from "node:net";
import { describe, it } from "node:test";
import { freePort, root } from "../../scripts/processes.mjs";

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = tcp(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

describe("socket server start-up", () => {
  it("accepts connections before it has loaded, and answers them once it has", async () => {
    const port = Number(await freePort());
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      MONGODB_URI: "mongodb://127.0.0.1:9/parley",
      SOCKET_PORT: String(port),
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      REALTIME_TOKEN_SECRET: randomBytes(32).toString("base64url"),
      INTERNAL_EVENTS_SECRET: randomBytes(32).toString("base64url"),
    };
    const started = performance.now();
    const child = spawn(process.execPath, ["dist/socket-server/index.mjs"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let listeningAt = Infinity;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) listeningAt = Math.min(listeningAt, performance.now() - started);
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      while (!(await canConnect(port))) {
        assert.ok(performance.now() - started < 10_000, `the port never opened: ${output}`);
        assert.equal(child.exitCode, null, `the server exited: ${output}`);
      }
      const openAt = performance.now() - started;
      // Sent now, while the modules still load: held, then answered.
      const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(10_000) });
      const answeredAt = performance.now() - started;
      assert.equal(response.status, 503);
      assert.deepEqual(await response.json(), { status: "degraded", database: "down", connections: 0 });
      assert.ok(openAt < listeningAt, `the port opened at ${openAt.toFixed(0)} ms, after the server said it listens (${listeningAt.toFixed(0)} ms)`);
      console.log(`[startup] port open after ${openAt.toFixed(0)} ms, listening after ${listeningAt.toFixed(0)} ms, the early request answered after ${answeredAt.toFixed(0)} ms`);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });
});
