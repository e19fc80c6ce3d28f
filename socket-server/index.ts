// The socket server process. It opens its port before loading anything heavy (the database
// driver, Socket.IO, zod: about a second), so that clients reconnecting after a restart find it
// open and wait their turn instead of being refused and backing off for seconds (socket.io-client
// doubles its delay at each refusal). Connections accepted meanwhile stay paused until main.ts
// has its HTTP server, which takes the port over and serves them.
import { createServer, type Socket } from "node:net";

const raw = process.env.SOCKET_PORT?.trim() || "3001";
// An invalid SOCKET_PORT is left to main.ts's environment check, which says what is wrong.
const port = /^\d{1,5}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 65535 ? Number(raw) : null;

let early: { listener: ReturnType<typeof createServer>; waiting: Set<Socket> } | null = null;
if (port !== null) {
  const listener = createServer({ pauseOnConnect: true });
  const waiting = new Set<Socket>();
  listener.on("connection", (socket) => {
    waiting.add(socket);
    socket.once("close", () => waiting.delete(socket));
  });
  listener.once("error", (error) => {
    console.error(`[socket] cannot listen on :${port}: ${error.message}`);
    process.exit(1);
  });
  listener.listen(port);
  early = { listener, waiting };
}

const { start } = await import("./main");
start(early);
