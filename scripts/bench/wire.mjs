// Lightweight benchmark clients: the Engine.IO v4 / Socket.IO v5 wire protocol spoken directly
// over `ws` (no socket.io-client per connection), and the raw-ws relay's tiny protocol. Thousands
// of these cost the load generator little: frames are scanned as bytes, and only the benchmark
// marker inside a message is ever decoded.
import WebSocket from "ws";

/** Every benchmark message text starts with this, then `<sender>|<sent at, ms since epoch>|`. */
export const MARKER = "~BM|";
const MARKER_BYTES = Buffer.from(MARKER);
const ACK_OK = Buffer.from('"ok":true');
const PIPE = 0x7c;

/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();

/** The text every target carries: same size everywhere (padded), with who sent it and when. */
export function benchText(sender, size) {
  const head = `${MARKER}${sender}|${now().toFixed(3)}|`;
  return head.padEnd(size, "x");
}

/** Reads `<sender>|<sentAt>|` after the marker; null when the frame carries no benchmark message. */
export function readMarker(data) {
  const at = data.indexOf(MARKER_BYTES);
  if (at < 0) return null;
  const start = at + MARKER_BYTES.length;
  const mid = data.indexOf(PIPE, start);
  const end = data.indexOf(PIPE, mid + 1);
  if (mid < 0 || end < 0) return null;
  return { sender: Number(data.toString("latin1", start, mid)), sentAt: Number(data.toString("latin1", mid + 1, end)) };
}

/**
 * One connection to a target. kind: "sio" (Parley and the Socket.IO relay) or "ws" (raw relay).
 * Callbacks: onReady() once connected (Socket.IO: the CONNECT answer), onMessage(marker, bytes),
 * onAck(ok), onFail(reason) for a refused connect, onClose().
 */
export function openClient({ kind, url, origin, auth, room, handlers }) {
  const target = kind === "sio" ? `${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket` : `${url.replace(/^http/, "ws")}/?room=${encodeURIComponent(room)}`;
  const ws = new WebSocket(target, { headers: { origin }, perMessageDeflate: false });
  let ready = false;
  let ackId = 0;
  ws.on("message", (data) => {
    if (kind === "ws") return onRelayFrame(data);
    const type = data[0];
    if (type === 0x32 /* "2" ping */ && data.length === 1) return ws.send("3");
    if (type === 0x30 /* "0" open */) return ws.send(`40${JSON.stringify(auth)}`);
    if (type !== 0x34 /* "4" message */) return;
    const packet = data[1];
    if (packet === 0x32 /* "2" event */) {
      const marker = readMarker(data);
      if (marker) handlers.onMessage?.(marker, data.length);
    } else if (packet === 0x33 /* "3" ack */) handlers.onAck?.(data.indexOf(ACK_OK) >= 0);
    else if (packet === 0x30 /* "0" connect */ && !ready) {
      ready = true;
      handlers.onReady?.();
    } else if (packet === 0x34 /* "4" connect_error */) handlers.onFail?.(data.toString("utf8", 2, 200));
  });
  function onRelayFrame(data) {
    if (data[0] === 0x61 /* "a" ack */) return handlers.onAck?.(true);
    if (data[0] === 0x72 /* "r" ready */) {
      ready = true;
      return handlers.onReady?.();
    }
    const marker = readMarker(data);
    if (marker) handlers.onMessage?.(marker, data.length);
  }
  ws.on("error", (error) => {
    if (!ready) handlers.onFail?.(error.message);
  });
  ws.on("close", () => handlers.onClose?.(ready));
  return {
    get ready() {
      return ready && ws.readyState === WebSocket.OPEN;
    },
    /** The same message:send payload on every target; the raw relay gets it after `<ackId>|`. */
    send(payload) {
      if (!this.ready) return false;
      ackId += 1;
      const body = JSON.stringify(payload);
      ws.send(kind === "sio" ? `42${ackId}["message:send",${body}]` : `${ackId}|${body}`);
      return true;
    },
    close: () => ws.close(),
    terminate: () => ws.terminate(),
  };
}
