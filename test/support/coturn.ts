// A TURN server for the relay tests: Debian's coturn (`turnserver`) on loopback, with the REST
// API's shared secret (use-auth-secret) so the web app mints its credentials exactly as it would
// for a real deployment. Started on free ports, stopped by its own pid. Nothing is installed from
// here (`.ci/run` installs coturn): without `turnserver` a developer's run skips, and CI fails.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, startService } from "../../scripts/processes.mjs";

export type TestCoturn = {
  /** TURN_URLS for the stack: UDP and TCP on the one listening port. */
  urls: string[];
  /** Its static-auth-secret: TURN_SECRET for the stack. */
  secret: string;
  port: number;
  /** What it logged (the last 200 lines), for failure reports. */
  output(): string;
  stop(): Promise<void>;
};

const REALM = "parley.test";
const RELAY_PORTS = 40;

/** Why coturn cannot run here, or null when it can. Throws instead on CI, where it must. */
export function coturnMissing(): string | null {
  if (spawnSync("turnserver", ["--version"]).status === 0) return null;
  const why = "turnserver is not installed (apt-get install coturn)";
  if (process.env.CI) throw new Error(why);
  return why;
}

/** The stack's environment for TURN through this server (ICE_TRANSPORT_POLICY is the caller's to choose). */
export const turnEnv = (turn: TestCoturn): Record<string, string> => ({ TURN_SECRET: turn.secret, TURN_URLS: turn.urls.join(",") });

/**
 * Starts coturn on 127.0.0.1 and waits until it answers a STUN binding request; null, with the
 * reason printed, when `turnserver` is not installed.
 */
export async function startCoturn(): Promise<TestCoturn | null> {
  const missing = coturnMissing();
  if (missing) {
    console.log(`[coturn] not started: ${missing}`);
    return null;
  }
  const port = await freePort();
  // A small range of relay ports above a free one; coturn skips any that are taken when it allocates.
  const minPort = Math.min(await freePort(), 65535 - RELAY_PORTS);
  const secret = randomBytes(24).toString("base64url");
  // Its pid file and user database default to /var/run and /var/lib/turn: keep both to this run.
  const dir = mkdtempSync(path.join(tmpdir(), "parley-coturn-"));
  const service = startService({
    name: "coturn",
    command: "turnserver",
    args: [
      "-n", // no configuration file: every setting is on this line
      `--listening-ip=127.0.0.1`,
      `--relay-ip=127.0.0.1`,
      `--listening-port=${port}`,
      `--min-port=${minPort}`,
      `--max-port=${minPort + RELAY_PORTS - 1}`,
      "--use-auth-secret",
      `--static-auth-secret=${secret}`,
      `--realm=${REALM}`,
      "--no-tls",
      "--no-dtls",
      "--no-rfc5780",
      "--no-cli",
      // Both browsers of a test are on this machine, so every peer is a loopback address.
      "--allow-loopback-peers",
      "--log-file=stdout",
      "--simple-log",
      `--pidfile=${path.join(dir, "turnserver.pid")}`,
      `--db=${path.join(dir, "turndb")}`,
    ],
    quiet: !process.env.PARLEY_TEST_VERBOSE,
    keepLines: 200,
  });
  const stop = async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForStun(port, service);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls: [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`],
    secret,
    port,
    output: () => service.tail(),
    stop,
  };
}

const STUN_MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;

/** Sends STUN binding requests (RFC 5389) over UDP until one is answered: then it serves. */
async function waitForStun(port: number, service: ReturnType<typeof startService>, timeoutMs = 10_000): Promise<void> {
  let exited: unknown = null;
  void service.exited.then((result) => (exited = result));
  const socket = createSocket("udp4");
  const transaction = randomBytes(12);
  const answered = new Promise<void>((resolve) => {
    socket.on("message", (message) => {
      if (message.length >= 20 && message.readUInt16BE(0) === BINDING_SUCCESS && message.subarray(8, 20).equals(transaction)) resolve();
    });
  });
  const request = Buffer.alloc(20);
  request.writeUInt16BE(BINDING_REQUEST, 0);
  request.writeUInt16BE(0, 2);
  request.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  transaction.copy(request, 8);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited) throw new Error(`turnserver exited (${JSON.stringify(exited)}) before it served:\n${service.tail()}`);
      if (Date.now() > deadline) throw new Error(`turnserver did not answer STUN on 127.0.0.1:${port} within ${timeoutMs} ms:\n${service.tail()}`);
      socket.send(request, port, "127.0.0.1");
      const ready = await Promise.race([answered.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 100))]);
      if (ready) return;
    }
  } finally {
    socket.close();
  }
}
