// The socket server process. It opens its port before loading anything heavy (the database
// driver, Socket.IO, zod: about a second), so that clients reconnecting after a restart find it
// open and wait their turn instead of being refused and backing off for seconds (socket.io-client
// doubles its delay at each refusal). Connections accepted meanwhile stay paused until main.ts
// has its HTTP server, which takes the port over and serves them.
import { createServer, type Socket } from "node:net";
import { setFlagsFromString } from "node:v8";

// Garbage collection for a process that holds many connections. Each handshake allocates about
// 200 kB, mostly short-lived (database replies, token checks, presence); what is still waiting on
// the database when the young generation is collected moves to the old one. V8 by default lets the
// old generation grow to up to four times what was live at its last full collection before the
// next, so after a burst of connections the process kept several times their real size: with 3,000
// idle connections, 55 MB were live in a heap of 139 MB. Growing by 10% (never less than V8's own
// minimum step of a few megabytes) costs a full collection every few megabytes kept, each ~10 ms
// and mostly concurrent. Set at run time so every way of starting the server gets it; a value
// given on the command line or in NODE_OPTIONS wins.
if (!/heap[-_]growing[-_]percent/.test(`${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`)) {
  setFlagsFromString("--heap-growing-percent=10");
}

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
