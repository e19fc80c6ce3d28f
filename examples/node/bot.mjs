// Pingbot: answers "ping" with "pong" in every Parley conversation it is in, on a personal access
// token alone. It reconnects by itself and, after every (re)connection, catches up on each
// conversation from the last version it saw, so a ping sent while it was away is still answered,
// once. See README.md.
//
//   PARLEY_URL=http://localhost:3000 PARLEY_SOCKET_URL=http://localhost:3001 \
//   PARLEY_TOKEN=parley_pat_… node bot.mjs

import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";

/** A reply with no ack by then is sent again, with the same clientMsgId: the server keeps one. */
const ACK_TIMEOUT_MS = 5_000;
/** How long to wait before connecting again after the server itself closed the connection. */
const RECONNECT_PAUSE_MS = 2_000;
/** How many answered pings (and replies of our own) to remember, so that each is answered once. */
const REMEMBERED = 10_000;

const config = readConfig();
const log = (line) => console.log(`${new Date().toISOString()} ${line}`);

/** Per conversation: the version up to which the bot has seen every change. */
const versions = new Map();
/** Per conversation: the seq at which the bot first saw it. Anything up to it is history. */
const firstSeq = new Map();
/** Per conversation: the highest seq reported as delivered. */
const delivered = new Map();
const answered = new Set();
const myClientMsgIds = new Set();
/** The bot's own user id (GET /api/me), to tell its messages from everyone else's. */
let selfId = null;
let stopping = false;

const socket = io(config.socketUrl, {
  auth: { token: config.token },
  // WebSocket from the start: no long-polling, so nothing depends on sticky sessions.
  transports: ["websocket"],
  reconnectionDelayMax: 10_000,
});

// Everything that reads or changes the state above runs one task at a time, in arrival order.
let work = Promise.resolve();
const enqueue = (task) => {
  work = work.then(task).catch(failed);
};

socket.on("connect", () => {
  log("connected");
  enqueue(resync);
});

socket.on("disconnect", (reason) => {
  if (stopping) return;
  if (reason === "io server disconnect") {
    // The server closed this socket itself (its token was revoked or expired, say): Socket.IO
    // leaves reconnecting to us, and the handshake then says whether the token still works.
    log(`the server closed the connection; connecting again in ${RECONNECT_PAUSE_MS / 1000} s`);
    setTimeout(() => !stopping && socket.connect(), RECONNECT_PAUSE_MS);
  } else {
    log(`disconnected (${reason}); reconnecting`);
  }
});

socket.on("connect_error", (error) => {
  // Still active: the server could not be reached, and Socket.IO tries again by itself.
  if (socket.active) return log(`cannot connect to ${config.socketUrl} (${error.message}); trying again`);
  // Otherwise the server refused the handshake, with { code, message, retryable, retryAfterMs? }.
  const refusal = error.data ?? { code: "REFUSED", message: error.message, retryable: true };
  if (!refusal.retryable) return refused(refusal);
  const delay = refusal.retryAfterMs ?? RECONNECT_PAUSE_MS;
  log(`connection refused for now (${refusal.code}: ${refusal.message}); trying again in ${delay / 1000} s`);
  setTimeout(() => !stopping && socket.connect(), delay);
});

socket.on("message:created", ({ message }) => enqueue(() => onLiveMessage(message)));

socket.on("conversation:created", ({ conversation }) => {
  log(`added to ${describe(conversation)}`);
  enqueue(() => firstSight(conversation.id, describe(conversation)));
});

socket.on("conversation:removed", ({ conversationId }) => {
  log(`removed from conversation ${conversationId}`);
  enqueue(() => versions.delete(conversationId));
});

/** After every (re)connection: every conversation, caught up from where the bot left it. */
async function resync() {
  try {
    if (selfId === null) {
      const me = await api("/api/me");
      selfId = me.id;
      log(`signed in as ${me.name} (${me.scopes.join(" and ")})`);
    }
    const { conversations } = await api("/api/conversations");
    const current = new Set(conversations.map((c) => c.id));
    for (const id of versions.keys()) if (!current.has(id)) versions.delete(id);
    for (const conversation of conversations) {
      if (versions.has(conversation.id)) await catchUp(conversation.id);
      else await firstSight(conversation.id, describe(conversation));
    }
    log(`in sync with ${conversations.length} conversation(s)`);
  } catch (error) {
    if (isRefusal(error)) return refused(error.body);
    log(`could not catch up (${error.message}); trying again in ${RECONNECT_PAUSE_MS / 1000} s`);
    setTimeout(() => socket.connected && enqueue(resync), RECONNECT_PAUSE_MS);
  }
}

/** A conversation seen for the first time: what it holds already is history, not to be answered. */
async function firstSight(conversationId, name) {
  if (versions.has(conversationId)) return;
  const page = await api(`/api/conversations/${conversationId}/messages?limit=1`);
  versions.set(conversationId, page.version);
  firstSeq.set(conversationId, page.messages.at(-1)?.seq ?? 0);
  log(`watching ${name} from version ${page.version}`);
}

/** Every change since the version the bot last saw, page by page: the pings among them are answered. */
async function catchUp(conversationId) {
  for (;;) {
    const since = versions.get(conversationId);
    if (since === undefined) return;
    const page = await request("sync", { conversationId, sinceVersion: since });
    for (const message of page.messages) {
      if (message.seq > firstSeq.get(conversationId)) await answerIfPing(message, " (missed while away)");
    }
    versions.set(conversationId, Math.max(versions.get(conversationId) ?? 0, page.version));
    markDelivered(conversationId, Math.max(0, ...page.messages.map((m) => m.seq)));
    if (!page.hasMore) return;
  }
}

async function onLiveMessage(message) {
  const { conversationId, version } = message;
  const known = versions.get(conversationId);
  // Versions are consecutive per conversation: a jump means the bot missed a change, so catch up.
  if (known !== undefined && version === known + 1) versions.set(conversationId, version);
  else if (known !== undefined && version > known + 1) enqueue(() => catchUp(conversationId));
  markDelivered(conversationId, message.seq);
  await answerIfPing(message, "");
}

async function answerIfPing(message, note) {
  const mine = message.senderId === selfId || myClientMsgIds.has(message.clientMsgId);
  const isPing = message.kind === "text" && !message.deletedAt && message.text.trim().toLowerCase() === "ping";
  if (mine || !isPing || answered.has(message.id)) return;
  remember(answered, message.id);
  const started = Date.now();
  const reply = { conversationId: message.conversationId, clientMsgId: randomUUID(), text: "pong", replyTo: message.id };
  remember(myClientMsgIds, reply.clientMsgId);
  const sent = await send(reply);
  if (sent) log(`ping from ${message.senderName} in ${message.conversationId} → pong (seq ${sent.seq}, ${Date.now() - started} ms)${note}`);
}

/** Sends until the server has it: a lost ack is retried with the same clientMsgId, so it lands once. */
async function send(payload) {
  for (let attempt = 1; !stopping; attempt += 1) {
    if (!socket.connected) await new Promise((resolve) => socket.once("connect", resolve));
    let ack;
    try {
      ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("message:send", payload);
    } catch {
      log(`no ack for a reply after ${ACK_TIMEOUT_MS / 1000} s; sending it again (attempt ${attempt + 1})`);
      continue;
    }
    if (ack.ok) return ack.data.message;
    if (!ack.error.retryable) {
      log(`the server refused a reply: ${ack.error.code}: ${ack.error.message}`);
      return null;
    }
    await sleep(ack.error.retryAfterMs ?? 1_000);
  }
  return null;
}

/** Tells the senders' ticks that the bot has everything up to `seq` (no ack needed). */
function markDelivered(conversationId, seq) {
  if (seq <= (delivered.get(conversationId) ?? 0)) return;
  delivered.set(conversationId, seq);
  socket.emit("conversation:delivered", { conversationId, seq });
}

async function request(event, payload) {
  const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
  if (!ack.ok) throw Object.assign(new Error(`${event}: ${ack.error.code}: ${ack.error.message}`), { body: ack.error });
  return ack.data;
}

/** The HTTP API with the same token; errors are { error: { code, message, retryable } }. */
async function api(path) {
  const response = await fetch(new URL(path, config.url), {
    headers: { authorization: `Bearer ${config.token}` },
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json().catch(() => null);
  if (response.ok) return body;
  const error = body?.error ?? { code: `HTTP_${response.status}`, message: response.statusText, retryable: response.status >= 500 };
  throw Object.assign(new Error(`GET ${path}: ${error.code}: ${error.message}`), { body: error, status: response.status });
}

const isRefusal = (error) => error.body?.code === "UNAUTHORIZED";

function refused(error) {
  log(`the token was refused (${error.code}: ${error.message}); make a new one in Settings → Developer access`);
  stop(1);
}

function failed(error) {
  if (isRefusal(error)) return refused(error.body);
  log(`error: ${error.message}`);
}

function describe(conversation) {
  if (conversation.name) return `"${conversation.name}"`;
  return `a conversation with ${conversation.members.map((m) => m.name).join(" and ")}`;
}

function remember(set, value) {
  set.add(value);
  if (set.size > REMEMBERED) set.delete(set.values().next().value);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  socket.disconnect();
  // A moment for the disconnect to go out; then leave, whatever request or timer is still pending.
  setTimeout(() => process.exit(code), 200);
}

function readConfig() {
  const names = ["PARLEY_URL", "PARLEY_SOCKET_URL", "PARLEY_TOKEN"];
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    console.error(`Missing ${missing.join(", ")}. Set PARLEY_URL (the web app, e.g. http://localhost:3000), PARLEY_SOCKET_URL (e.g. http://localhost:3001) and PARLEY_TOKEN (a personal access token, parley_pat_…).`);
    process.exit(2);
  }
  return { url: process.env.PARLEY_URL, socketUrl: process.env.PARLEY_SOCKET_URL, token: process.env.PARLEY_TOKEN };
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    stop(0);
  });
}
log(`pingbot: connecting to ${config.socketUrl} (web app ${config.url})`);
