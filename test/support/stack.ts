// A real Parley stack for tests: the embedded database (or MONGODB_URI), the built socket
// server and the built web app, on free loopback ports, each stopped by its own pid.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { resolveDatabase } from "../../scripts/database.mjs";
import { freePort, root, SOCKET_SERVER_NODE_ARGS, startService, waitForHttp } from "../../scripts/processes.mjs";
import { generateVapidKeys } from "../../scripts/vapid.mjs";

type Service = ReturnType<typeof startService>;

export type Stack = {
  webUrl: string;
  socketUrl: string;
  env: Record<string, string>;
  mongoUri: string;
  data: StackData;
  startSocket(): Promise<void>;
  stopSocket(signal?: NodeJS.Signals): Promise<void>;
  socketPort: number;
  /** The web app's process id (for memory figures), when the stack runs one. */
  webPid: number | undefined;
  /** One more socket server with the same environment (database, secrets, REDIS_URL if set) on a port of its own. */
  startSocketInstance(): Promise<SocketInstance>;
  /** True when the stack runs the embedded database, which pauseDatabase() can freeze. */
  embeddedDatabase: boolean;
  /** SIGSTOPs the embedded database: its connections stay open and nothing answers. */
  pauseDatabase(): void;
  /** SIGCONTs it; safe to call when it is not paused (stop() calls it too). */
  resumeDatabase(): void;
  /** What each process wrote (stdout and stderr; the last 80 lines unless `keepOutput`), for checks and failure reports. */
  output(): { socket: string; web: string };
  /** Stops every process; the data is deleted unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
};

const secret = () => randomBytes(32).toString("base64url");

function vapidEnv(): Record<string, string> {
  const { publicKey, privateKey } = generateVapidKeys();
  return { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: "mailto:tests@parley.invalid", PUSH_ALLOW_LOOPBACK_ENDPOINTS: "1" };
}

export type StackOptions = {
  web?: boolean;
  /** Reuse the data of an earlier stack (its `data`), as a restart of every process would. */
  data?: StackData;
  /** Keep every line the processes write (up to 20,000 each), for tests that inspect the logs. */
  keepOutput?: boolean;
  /** Extra environment for both processes (e.g. a short REALTIME_TOKEN_TTL_SECONDS). */
  env?: Record<string, string>;
  /**
   * "relaxed" (the default): limits far above anything a test does, so suites that flood sends or
   * sign many users up from 127.0.0.1 test what they mean to. "production": the built-in defaults
   * (lib/env.js), for tests of the limits themselves; `env` can still set any of them.
   */
  rateLimits?: "relaxed" | "production";
};

const RELAXED_RATE_LIMITS: Record<string, string> = {
  RATE_LIMIT_MESSAGES_PER_SECOND: "100000",
  RATE_LIMIT_MESSAGES_BURST: "1000000",
  RATE_LIMIT_REQUESTS: "1000000/60",
  RATE_LIMIT_CALLS: "1000000/60",
  RATE_LIMIT_UPLOADS: "1000000/60",
  RATE_LIMIT_SEARCHES: "1000000/60",
  RATE_LIMIT_SIGN_IN_PER_EMAIL: "1000000/60",
  RATE_LIMIT_SIGN_IN_PER_IP: "1000000/60",
  RATE_LIMIT_SIGN_UP_PER_IP: "1000000/60",
};

export type SocketInstance = { port: number; url: string; stop(signal?: NodeJS.Signals): Promise<void>; output(): string };

/** What a stack needs to come back on the same data: the database directory and name. */
export type StackData = { dir: string; dbName: string };

/** Starts a stack; if a port it chose was taken before its service could bind it (racy by nature), once more on other ports. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  try {
    return await startStackOnce(options);
  } catch (error) {
    if (!String(error).includes("EADDRINUSE")) throw error;
    console.log(`[stack] a port was taken meanwhile, starting again on others: ${String(error).split("\n")[0]}`);
    return startStackOnce(options);
  }
}

async function startStackOnce({ web = true, data, keepOutput = false, env: extraEnv = {}, rateLimits = "relaxed" }: StackOptions): Promise<Stack> {
  const keepLines = keepOutput ? 20_000 : 80;
  for (const built of ["dist/socket-server/index.mjs", ".next/BUILD_ID"]) {
    if (!existsSync(path.join(root, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const dataDir = data?.dir ?? mkdtempSync(path.join(tmpdir(), "parley-test-db-"));
  const db = await resolveDatabase({ dataDir });
  const [webPort, socketPort] = [await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${webPort}`;
  const socketUrl = `http://127.0.0.1:${socketPort}`;
  const env: Record<string, string> = {
    NODE_ENV: "production",
    MONGODB_URI: db.uri,
    // A database of its own per run, so runs against a shared MONGODB_URI never collide.
    MONGODB_DB: data?.dbName ?? `parley_test_${randomBytes(4).toString("hex")}`,
    NEXTAUTH_URL: webUrl,
    NEXTAUTH_SECRET: secret(),
    REALTIME_TOKEN_SECRET: secret(),
    INTERNAL_EVENTS_SECRET: secret(),
    SOCKET_PORT: String(socketPort),
    SOCKET_PUBLIC_URL: socketUrl,
    SOCKET_INTERNAL_URL: socketUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    // Push on, with a pair of this run's own; subscriptions may name the local push service (test/support/push-endpoint.ts).
    ...vapidEnv(),
    ...(rateLimits === "relaxed" ? RELAXED_RATE_LIMITS : {}),
    ...extraEnv,
  };

  let socket: Service | null = null;
  const startSocket = async () => {
    socket = startService({ name: "socket", command: process.execPath, args: [...SOCKET_SERVER_NODE_ARGS, "dist/socket-server/index.mjs"], env, quiet: !process.env.PARLEY_TEST_VERBOSE, keepLines });
    await waitForHttp(`${socketUrl}/health`, { service: socket });
  };
  const stopSocket = async (signal: NodeJS.Signals = "SIGTERM") => {
    await socket?.stop(signal);
    socket = null;
  };

  const instances: Service[] = [];
  const startSocketInstance = async (): Promise<SocketInstance> => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = startService({
      name: `socket-${port}`,
      command: process.execPath,
      args: [...SOCKET_SERVER_NODE_ARGS, "dist/socket-server/index.mjs"],
      env: { ...env, SOCKET_PORT: String(port) },
      quiet: !process.env.PARLEY_TEST_VERBOSE,
      keepLines,
    });
    instances.push(service);
    await waitForHttp(`${url}/health`, { service });
    return { port, url, stop: (signal) => service.stop(signal), output: () => service.tail() };
  };

  let webService: Service | null = null;
  try {
    await startSocket();
    if (web) {
      const nextBin = path.join(root, "node_modules/next/dist/bin/next");
      webService = startService({ name: "web", command: process.execPath, args: [nextBin, "start", "-p", String(webPort), "-H", "127.0.0.1"], env, quiet: !process.env.PARLEY_TEST_VERBOSE, keepLines });
      await waitForHttp(`${webUrl}/api/health`, { service: webService });
    }
  } catch (error) {
    await stopSocket();
    await webService?.stop();
    await db.stop();
    if (!data) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const signalDatabase = (signal: NodeJS.Signals) => {
    if (!db.embedded || db.pid === undefined) throw new Error("only the embedded database can be paused (MONGODB_URI is set)");
    process.kill(db.pid, signal);
  };
  let paused = false;
  const resumeDatabase = () => {
    if (!paused) return;
    signalDatabase("SIGCONT");
    paused = false;
  };

  return {
    webUrl,
    socketUrl,
    env,
    mongoUri: db.uri,
    webPid: webService?.pid,
    data: { dir: dataDir, dbName: env.MONGODB_DB! },
    startSocket,
    stopSocket,
    socketPort,
    startSocketInstance,
    embeddedDatabase: db.embedded,
    pauseDatabase() {
      signalDatabase("SIGSTOP");
      paused = true;
    },
    resumeDatabase,
    output: () => ({ socket: socket?.tail() ?? "", web: webService?.tail() ?? "" }),
    async stop({ keepData = false } = {}) {
      // A stopped process would not act on SIGTERM before the launcher's SIGKILL.
      resumeDatabase();
      await Promise.all([stopSocket(), webService?.stop(), ...instances.map((instance) => instance.stop())]);
      await db.stop();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
