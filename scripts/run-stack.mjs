// Starts the database (embedded unless MONGODB_URI is set), the socket server and the web app,
// and stops them all together. Used by `npm run dev` (watch mode) and `npm start` (built output).
import { existsSync } from "node:fs";
import path from "node:path";
import { resolveDatabase } from "./database.mjs";
import { loadEnvFiles, root, SOCKET_SERVER_NODE_ARGS, startService } from "./processes.mjs";
import { devVapidKeys } from "./vapid.mjs";

export async function runStack({ mode }) {
  loadEnvFiles();
  const production = mode === "start";
  if (production && !existsSync(path.join(root, "dist/socket-server/index.mjs"))) {
    console.error("No build found: run `npm run build` first.");
    process.exit(1);
  }
  const db = await resolveDatabase({ port: Number(process.env.EMBEDDED_DB_PORT ?? 0) || undefined });
  console.log(`[parley] database: ${db.embedded ? `embedded SecantusDB at ${db.uri} (data in .data/db)` : "MONGODB_URI"}`);

  const webPort = process.env.PORT ?? "3000";
  const env = {
    MONGODB_URI: db.uri,
    NODE_ENV: production ? "production" : "development",
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${webPort}`,
    // Development gets push without setup, as it gets its other secrets; production sets its own pair (or has push off).
    ...(!production && !process.env.VAPID_PUBLIC_KEY && !process.env.VAPID_PRIVATE_KEY ? devPush() : {}),
  };
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const services = [
    production
      ? startService({ name: "socket", command: process.execPath, args: [...SOCKET_SERVER_NODE_ARGS, "--enable-source-maps", "dist/socket-server/index.mjs"], env })
      : startService({ name: "socket", command: process.execPath, args: [...SOCKET_SERVER_NODE_ARGS, "--import", "tsx", "--watch", "socket-server/index.ts"], env }),
    startService({ name: "web", command: process.execPath, args: [nextBin, production ? "start" : "dev", "-p", webPort], env }),
  ];

  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(services.map((service) => service.stop()));
    await db.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  // If one process dies the stack is not usable; take the rest down and say so.
  void db.exited?.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`[parley] the embedded database exited (code ${code}, signal ${signal}); stopping.`);
    void stopAll(1);
  });
  for (const service of services) {
    void service.exited.then(({ code, signal }) => {
      if (stopping) return;
      console.error(`[parley] ${service.name} exited (code ${code}, signal ${signal}); stopping.`);
      void stopAll(code || 1);
    });
  }
}

function devPush() {
  const { publicKey, privateKey } = devVapidKeys(path.join(root, ".data/vapid-dev.json"));
  return { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey };
}
