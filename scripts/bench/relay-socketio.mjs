// Target (b): a bare Socket.IO relay — the same transport options and payloads as Parley's socket
// server, and nothing else (no auth, validation, persistence or presence): the ceiling Socket.IO
// allows. The room comes from the handshake; a message:send is acked and broadcast to the room.
// Connection state recovery is off: it is Parley's feature (it appends an offset to, and keeps,
// every broadcast), not a transport setting.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.BENCH_PORT);
const origins = (process.env.BENCH_ORIGINS ?? "").split(",").filter(Boolean);

const http = createServer((req, res) => {
  if (req.url === "/health") return void res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
  res.writeHead(404).end();
});

const io = new Server(http, {
  allowRequest: (req, callback) => callback(null, req.headers.origin === undefined || origins.includes(req.headers.origin)),
  cors: { origin: origins, credentials: false },
  maxHttpBufferSize: 64 * 1024,
  perMessageDeflate: false,
  httpCompression: false,
});

io.on("connection", (socket) => {
  const room = socket.handshake.auth?.room;
  if (typeof room === "string") socket.join(room);
  socket.on("message:send", (payload, ack) => {
    if (typeof room === "string") io.to(room).emit("message:created", { message: payload });
    if (typeof ack === "function") ack({ ok: true, data: { message: payload } });
  });
});

http.listen(port, "127.0.0.1", () => console.log(`[relay-socketio] listening on :${port}`));
process.on("SIGTERM", () => process.exit(0));
