// What leaves the server carries only allowlisted fields: every broadcast, ack and HTTP body of a
// realistic session is walked, and each object's keys must match the shape it is documented by.
// Never an email of someone the viewer did not type in full (a name search shows a masked one), never a password hash, never `_id`.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Socket } from "socket.io-client";
import { startStack, type Stack } from "../support/stack";
import { connect, createUser, emitAck, openDirect, sleep, type TestSocket, type TestUser } from "../support/users";

const SHAPES: Record<string, readonly string[]> = {
  message: ["id", "conversationId", "seq", "version", "senderId", "senderName", "clientMsgId", "kind", "text", "replyTo", "replyPreview", "mentions", "createdAt", "editedAt", "deletedAt", "reactions", "pinnedAt", "pinnedBy", "hidden"],
  reaction: ["emoji", "userIds"],
  replyPreview: ["id", "seq", "senderName", "excerpt"],
  conversation: ["id", "kind", "name", "members", "lastSeq", "lastMessage", "createdAt", "lastActivityAt", "unreadCount", "lastReadSeq", "markedUnread", "unreadMentions", "muted"],
  member: ["id", "name", "role", "deliveredSeq", "readSeq"],
  // What conversation:updated and the group management answers carry: nothing viewer-specific.
  conversationSummary: ["id", "kind", "name", "members"],
  removal: ["conversationId"],
  lastMessage: ["seq", "kind", "senderId", "senderName", "preview", "createdAt"],
  receipt: ["conversationId", "userId", "deliveredSeq", "readSeq"],
  // emailHint: a masked address ("b•••n@e•••.test"), to tell two people of the same name apart.
  searchedUser: ["id", "name", "emailHint"],
  typing: ["conversationId", "userId", "typing"],
  presence: ["userId", "online", "lastSeenAt"],
  presenceSnapshot: ["users", "online"],
  mark: ["conversationId", "markedUnread"],
  mute: ["conversationId", "muted"],
  settingsEvent: ["settings"],
  settings: ["readReceipts"],
};
/** Broadcasts whose payload itself has a shape (the others wrap a message or a conversation). */
const EVENT_SHAPES: Record<string, string> = {
  receipt: "receipt",
  "conversation:removed": "removal",
  typing: "typing",
  presence: "presence",
  "presence:snapshot": "presenceSnapshot",
  "conversation:marked": "mark",
  "conversation:muted": "mute",
  "settings:updated": "settingsEvent",
};
const FORBIDDEN_KEYS = ["_id", "passwordHash", "password", "sessionEpoch", "hiddenFor", "token"];

/** Checks every object inside `value` whose place says what it is; returns the problems found. */
function audit(value: unknown, where: string, problems: string[], shape?: string, summaries = false) {
  if (Array.isArray(value)) return value.forEach((item, i) => audit(item, `${where}[${i}]`, problems, shape));
  if (value === null || typeof value !== "object") return;
  const keys = Object.keys(value);
  for (const key of keys) if (FORBIDDEN_KEYS.includes(key)) problems.push(`${where}.${key} must never leave the server`);
  if (shape) {
    const allowed = SHAPES[shape]!;
    const extra = keys.filter((k) => !allowed.includes(k));
    if (extra.length > 0) problems.push(`${where} (${shape}) has fields beyond its allowlist: ${extra.join(", ")}`);
  }
  for (const [key, inner] of Object.entries(value)) {
    const child =
      key === "message" || key === "messages" || key === "pinned" ? "message"
      : key === "reactions" ? "reaction"
      : key === "conversation" && summaries ? "conversationSummary"
      : key === "conversation" || key === "conversations" ? "conversation"
      : key === "members" ? "member"
      : key === "lastMessage" ? "lastMessage"
      : key === "users" && shape === "presenceSnapshot" ? "presence"
      : key === "replyPreview" ? "replyPreview"
      : key === "settings" ? "settings"
      : undefined;
    audit(inner, `${where}.${key}`, problems, child, summaries);
  }
}

async function openGroup(owner: TestUser, members: TestUser[]): Promise<string> {
  const response = await owner.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Managed", memberIds: members.map((m) => m.id) }) });
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

describe("payload fields", { timeout: 120_000 }, () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const sockets: TestSocket[] = [];

  before(async () => {
    // A short grace, so that a closed socket is announced offline within the session.
    stack = await startStack({ env: { PRESENCE_OFFLINE_GRACE_MS: "100" } });
    [alice, bob, carol] = (await Promise.all(["Alice", "Bob", "Carol"].map((n) => createUser(stack, `${n} Fields`)))) as [TestUser, TestUser, TestUser];
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
  });

  it("lets only allowlisted fields out, over every broadcast, ack and HTTP answer of a session", async () => {
    const seen: { where: string; value: unknown; shape?: string; summaries?: boolean }[] = [];
    for (const user of [alice, bob, carol]) {
      const socket = await connect(stack, { token: user.token });
      sockets.push(socket);
      (socket as unknown as Socket).onAny((event: string, payload: unknown) => seen.push({ where: `${user.name} heard ${event}`, value: payload, shape: EVENT_SHAPES[event] }));
    }
    const [aliceSocket, bobSocket] = sockets as [TestSocket, TestSocket];
    const http = async (user: TestUser, path: string, init?: RequestInit, summaries = false) => {
      const response = await user.api(path, init);
      if (response.status !== 204) seen.push({ where: `${init?.method ?? "GET"} ${path}`, value: await response.json(), summaries });
    };

    const direct = await openDirect(alice, bob);
    await http(alice, "/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Fields", memberIds: [bob.id, carol.id] }) });
    const send = await emitAck(aliceSocket, "message:send", { conversationId: direct, clientMsgId: randomUUID(), text: "hello" });
    seen.push({ where: "ack message:send", value: send });
    // A reply (its quote), "Mark as unread" and a settings change, each heard by the user's own sockets.
    const original = (send as { ok: true; data: { message: { id: string } } }).data.message.id;
    seen.push({ where: "ack reply", value: await emitAck(bobSocket, "message:send", { conversationId: direct, clientMsgId: randomUUID(), text: "re", replyTo: original, mentions: [alice.id] }) });
    await http(bob, `/api/conversations/${direct}/unread`, { method: "POST", body: JSON.stringify({ unread: true }) });
    await http(bob, `/api/conversations/${direct}/mute`, { method: "POST", body: JSON.stringify({ muted: true }) });
    await http(carol, "/api/settings", { method: "PATCH", body: JSON.stringify({ readReceipts: false }) });
    await http(carol, "/api/settings");
    await http(bob, `/api/conversations/${direct}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "hi back" }) });
    seen.push({ where: "ack conversation:delivered", value: await emitAck(bobSocket, "conversation:delivered", { conversationId: direct, seq: 2 }) });
    seen.push({ where: "ack conversation:read", value: await emitAck(bobSocket, "conversation:read", { conversationId: direct, seq: 2 }) });
    seen.push({ where: "ack sync", value: await emitAck(bobSocket, "sync", { conversationId: direct, sinceVersion: 0 }) });
    await http(carol, "/api/conversations");
    await http(bob, `/api/conversations/${direct}/messages`);
    await http(bob, `/api/conversations/${direct}/sync?since=0`);
    await http(carol, `/api/users?q=${encodeURIComponent("Fields")}`);
    // Group management: its answers and conversation:updated carry the summary shape.
    const dave = await createUser(stack, "Dave Fields");
    const group = await openGroup(alice, [bob, carol]);
    await http(bob, `/api/conversations/${group}`, { method: "PATCH", body: JSON.stringify({ name: "Renamed" }) }, true);
    await http(bob, `/api/conversations/${group}/members`, { method: "POST", body: JSON.stringify({ userId: dave.id }) }, true);
    await http(alice, `/api/conversations/${group}/members/${carol.id}`, { method: "DELETE" });
    await http(bob, `/api/conversations/${group}/members/${bob.id}`, { method: "DELETE" });
    // Changes to messages: message:updated to the room, and a delete for me to one member only.
    const said = await emitAck<{ message: { id: string } }>(aliceSocket, "message:send", { conversationId: direct, clientMsgId: randomUUID(), text: "to change" });
    assert.ok(said.ok);
    const messageId = said.data.message.id;
    seen.push({ where: "ack message:edit", value: await emitAck(aliceSocket, "message:edit", { messageId, text: "changed" }) });
    seen.push({ where: "ack message:react", value: await emitAck(bobSocket, "message:react", { messageId, emoji: "👍" }) });
    seen.push({ where: "ack message:pin", value: await emitAck(bobSocket, "message:pin", { messageId, pinned: true }) });
    seen.push({ where: "ack message:delete", value: await emitAck(bobSocket, "message:delete", { messageId, for: "me" }) });
    await http(alice, `/api/messages/${messageId}/reactions`, { method: "POST", body: JSON.stringify({ emoji: "🎉" }) });
    await http(alice, `/api/messages/${messageId}`, { method: "PATCH", body: JSON.stringify({ text: "changed again" }) });
    await http(bob, `/api/conversations/${direct}/messages`);
    await http(bob, `/api/conversations/${direct}/sync?since=0`);
    await http(alice, `/api/messages/${messageId}/pin`, { method: "DELETE" });
    await http(alice, `/api/messages/${messageId}?for=everyone`, { method: "DELETE" });
    // Typing, and presence: Bob goes offline and comes back.
    seen.push({ where: "ack typing", value: await emitAck(aliceSocket, "typing", { conversationId: direct, typing: true }) });
    await sleep(100);
    bobSocket.disconnect();
    await sleep(400);
    sockets.push(await connect(stack, { token: bob.token }));
    await sleep(300);
    assert.ok(seen.some((s) => s.where.endsWith("heard message:updated")), "the session produced no message:updated to audit");

    const problems: string[] = [];
    for (const { where, value, shape, summaries } of seen) audit(value, where, problems, shape, summaries || where.endsWith("conversation:updated"));
    for (const event of ["conversation:updated", "conversation:removed", "typing", "presence", "presence:snapshot", "conversation:marked", "conversation:muted", "settings:updated"]) {
      assert.ok(seen.some((s) => s.where.endsWith(`heard ${event}`)), `the session produced no ${event} to audit`);
    }
    assert.deepEqual(problems, []);

    // Emails: a name search shows only masked ones; only the exact email a searcher typed comes back, and only that one.
    const byName = (await (await carol.api(`/api/users?q=Fields`)).json()) as { users: Record<string, unknown>[] };
    assert.ok(byName.users.length >= 2);
    for (const user of byName.users) audit(user, "name search", problems, "searchedUser");
    assert.deepEqual(problems, []);
    // Carol (the searcher) finds the others by name: each with a masked address, never the address.
    for (const user of [alice, bob]) {
      const hint = byName.users.find((u) => u.id === user.id)?.emailHint;
      assert.equal(typeof hint, "string", `${user.name} has no email hint`);
      assert.match(String(hint), /^[^@]•••[^@]?@.•••\.[a-z]+$/, `${user.name}'s email hint ${String(hint)} is not masked`);
      assert.equal(String(hint)[0], user.email[0]);
    }
    const byEmail = (await (await carol.api(`/api/users?q=${encodeURIComponent(alice.email)}`)).json()) as { users: { id: string; email?: string }[] };
    assert.deepEqual(byEmail.users.map((u) => [u.id, u.email]), [[alice.id, alice.email]]);
    const serialized = JSON.stringify(seen);
    for (const user of [alice, bob, carol, dave]) {
      assert.ok(!serialized.includes(user.email), `${user.name}'s email left the server in an ordinary payload`);
      assert.ok(!serialized.includes(user.password), "a password left the server");
    }
    console.log(`[payload-fields] ${seen.length} payloads audited (broadcasts, acks, HTTP answers)`);
  });
});
