// Target (c): a raw `ws` relay, close to what Node itself allows on this machine. The room is in
// the URL; a frame `<ackId>|<payload>` is acked with `a<ackId>` and forwarded as-is to every
// socket in the room (the sender too, as Parley's room broadcast does). No JSON is parsed.
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const port = Number(process.env.BENCH_PORT);
const origins = new Set((process.env.BENCH_ORIGINS ?? "").split(",").filter(Boolean));
const PIPE = 0x7c;

const http = createServer((req, res) => {
  if (req.url === "/health") return void res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
  res.writeHead(404).end();
});

const rooms = new Map();
const wss = new WebSocketServer({
  server: http,
  perMessageDeflate: false,
  maxPayload: 64 * 1024,
  verifyClient: ({ req }) => req.headers.origin === undefined || origins.has(req.headers.origin),
});

wss.on("connection", (ws, req) => {
  const room = new URL(req.url ?? "/", "http://relay").searchParams.get("room") ?? "";
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(ws);
  ws.on("close", () => {
    members.delete(ws);
    if (members.size === 0) rooms.delete(room);
  });
  ws.on("message", (data) => {
    const bar = data.indexOf(PIPE);
    if (bar > 0) ws.send(`a${data.toString("latin1", 0, bar)}`);
    for (const member of members) member.send(data, { binary: false });
  });
  ws.send("r");
});

http.listen(port, "127.0.0.1", () => console.log(`[relay-ws] listening on :${port}`));
process.on("SIGTERM", () => process.exit(0));
