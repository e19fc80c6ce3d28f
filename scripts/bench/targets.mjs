// The three servers under test, each its own process on a free loopback port so that memory
// (VmRSS), CPU (/proc/<pid>/stat) and kill -9 mean the same for all of them.
import { readFileSync } from "node:fs";
import { freePort, SOCKET_SERVER_NODE_ARGS, startService, waitForHttp } from "../processes.mjs";

/** The Origin every bench client sends; the only one each server allows. */
export const ORIGIN = "http://127.0.0.1:3999";

const RELAXED_RATE_LIMITS = {
  RATE_LIMIT_MESSAGES_PER_SECOND: "100000",
  RATE_LIMIT_MESSAGES_BURST: "1000000",
  RATE_LIMIT_REQUESTS: "1000000/60",
};

/** key: a, b, b2 (the A/A repeat of b) or c. `parleyEnv` holds the database and secrets. */
export function describeTargets(parleyEnv) {
  const relayEnv = { BENCH_ORIGINS: ORIGIN };
  return [
    // Parley as its launchers start it; the relays with Node's defaults.
    { key: "a", label: "(a) Parley", kind: "sio", script: "dist/socket-server/index.mjs", env: { ...parleyEnv, ...RELAXED_RATE_LIMITS }, parley: true, nodeArgs: SOCKET_SERVER_NODE_ARGS },
    { key: "b", label: "(b) Socket.IO relay", kind: "sio", script: "scripts/bench/relay-socketio.mjs", env: relayEnv },
    { key: "c", label: "(c) raw ws relay", kind: "ws", script: "scripts/bench/relay-ws.mjs", env: relayEnv },
    { key: "b2", label: "(b′) Socket.IO relay, A/A repeat", kind: "sio", script: "scripts/bench/relay-socketio.mjs", env: relayEnv },
  ];
}

/** Starts a target and returns a handle that can restart it on the same port. */
export async function startTarget(spec, { nodeArgs: extra = [] } = {}) {
  const nodeArgs = [...(spec.nodeArgs ?? []), ...extra];
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...spec.env, BENCH_PORT: String(port), SOCKET_PORT: String(port), SOCKET_PUBLIC_URL: url, SOCKET_INTERNAL_URL: url };
  let service = null;
  const handle = {
    ...spec,
    url,
    get pid() {
      return service?.pid;
    },
    async start() {
      service = startService({ name: spec.key, command: process.execPath, args: [...nodeArgs, spec.script], env, quiet: true, keepLines: 40 });
      await waitForHttp(`${url}/health`, { service, timeoutMs: 30_000 });
    },
    /** Starts it again without waiting for it to be ready (the reconnect storm measures that). */
    respawn() {
      service = startService({ name: spec.key, command: process.execPath, args: [...nodeArgs, spec.script], env, quiet: true, keepLines: 40 });
    },
    kill9() {
      const old = service;
      old.child.kill("SIGKILL");
      return old.exited;
    },
    stop: () => service?.stop("SIGTERM"),
    tail: () => service?.tail() ?? "",
    rssKb: () => readStatus(service.pid, "VmRSS"),
    /** CPU time (user + system) of the process so far, in ms. */
    cpuMs: () => readCpuMs(service.pid),
  };
  await handle.start();
  return handle;
}

function readStatus(pid, field) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** CPU time (user + system) a process has used so far, in ms; NaN once it is gone. */
export function readCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the file, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}
