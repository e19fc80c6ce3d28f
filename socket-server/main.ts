// The socket server: env → http → io → listen. Rooms, broadcasts, presence and typing. Loaded by
// index.ts once the port is already open.
import type { Server as NetServer, Socket } from "node:net";
import { closeDb, getDb } from "../lib/db/client";
import { EnvError, getServerEnv } from "../lib/env";
import { closeRedis } from "../lib/redis/client";
import { createSocketServer } from "./server";

function loadEnv() {
  try {
    return getServerEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Starts the server. `early`: the port index.ts opened before loading this module, with the
 * connections it accepted meanwhile (paused); the HTTP server takes the port over and serves them.
 */
export function start(early: { listener: NetServer; waiting: Set<Socket> } | null): void {
  const env = loadEnv();
  const { io, http, presence, cluster } = createSocketServer(env);

  // Indexes are applied on first connection; start it now so the first client does not wait.
  getDb().catch((error: Error) => console.error(`[socket] database not reachable yet: ${error.message}`));

  async function listen() {
    if (cluster) {
      try {
        await cluster.start(io, presence, env.PRESENCE_OFFLINE_GRACE_MS);
      } catch (error) {
        console.error(`[socket] Redis (REDIS_URL) not reachable: ${(error as Error).message}`);
        process.exit(1);
      }
    }
    const listening = () => {
      const mode = cluster ? "with Redis" : "single instance";
      console.log(`[socket] listening on :${env.SOCKET_PORT}, ${mode} (origins: ${env.ALLOWED_ORIGINS.join(", ")})`);
    };
    if (!early) return void http.listen(env.SOCKET_PORT, listening);
    http.listen(early.listener, () => {
      for (const socket of early.waiting) {
        http.emit("connection", socket);
        socket.resume();
      }
      early.waiting.clear();
      listening();
    });
  }
  void listen();

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    console.log(`[socket] ${signal}: closing`);
    const force = setTimeout(() => process.exit(0), 3_000);
    force.unref();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    // Closing disconnected everyone: those within their grace period get their last-seen time now.
    await presence.close();
    await cluster?.close();
    await closeRedis();
    await closeDb().catch(() => undefined);
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // A bug in one handler must not take every user's connection down with it.
  process.on("unhandledRejection", (reason) => console.error("[socket] unhandled rejection:", reason));
}
