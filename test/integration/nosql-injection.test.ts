// NoSQL injection, shown at the data layer: every domain function runs in-process against the
// real database with the driver's command monitoring on, and
//  - a hostile input (operator objects, arrays, __proto__ keys…) is refused before any command
//    reaches the database;
//  - in legitimate runs, every filter the database receives holds only strings, numbers,
//    booleans, null, dates and ObjectIds, under the operators our own code writes.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { ObjectId } from "mongodb";
import { resolveDatabase } from "../../scripts/database.mjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

type Chat = typeof import("../../lib/chat");
type Command = { name: string; filters: unknown[] };

// The operators lib/db writes itself; anything else in a filter came from somewhere else.
const OUR_OPERATORS = new Set(["$in", "$lt", "$lte", "$gt", "$gte", "$or", "$ne", "$regex", "$options", "$exists"]);
const FILTER_FIELDS = ["filter", "q", "query"];

function filtersOf(command: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  for (const key of FILTER_FIELDS) if (key in command) found.push(command[key]);
  for (const key of ["updates", "deletes"]) {
    const list = command[key];
    if (Array.isArray(list)) for (const item of list) found.push((item as { q?: unknown }).q);
  }
  if (Array.isArray(command.pipeline)) for (const stage of command.pipeline) if ("$match" in stage) found.push(stage.$match);
  return found;
}

/** Every leaf a filter holds is a plain value; every $-key is one of ours. Returns what is wrong. */
function inspect(value: unknown, where: string, problems: string[]) {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return;
  if (value instanceof ObjectId || value instanceof Date) return;
  if (Array.isArray(value)) return value.forEach((item, i) => inspect(item, `${where}[${i}]`, problems));
  if (typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith("$") && !OUR_OPERATORS.has(key)) problems.push(`${where}.${key}: operator not written by lib/db`);
      if (key === "__proto__" || key === "constructor") problems.push(`${where}.${key}: prototype key`);
      inspect(inner, `${where}.${key}`, problems);
    }
    return;
  }
  problems.push(`${where}: ${typeof value}`);
}

const OPERATOR_VALUES: unknown[] = [
  { $gt: "" },
  { $ne: null },
  { $regex: ".*" },
  { $where: "sleep(1000)" },
  { $exists: true },
  { $in: ["a"] },
  ["a", "b"],
  [{ $gt: "" }],
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  { toString: "x" },
  12,
  true,
  null,
];

describe("NoSQL injection at the data layer", { timeout: 120_000 }, () => {
  let chat: Chat;
  let stopDb: () => Promise<void>;
  let dataDir: string;
  const commands: Command[] = [];
  let alice: { id: string };
  let bob: { id: string };
  let carol: { id: string };
  let dave: { id: string };
  let conversationId: string;
  let messageId: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "parley-test-db-"));
    const db = await resolveDatabase({ dataDir });
    stopDb = db.stop;
    Object.assign(process.env, { MONGODB_URI: db.uri, MONGODB_DB: `parley_nosql_${randomUUID().slice(0, 8)}` });
    chat = await import("../../lib/chat");
    const { watchCommands } = await import("../support/command-monitor");
    await watchCommands({
      started: (event) => {
        if (["ping", "hello", "isMaster", "ismaster", "endSessions", "createIndexes", "getMore", "killCursors"].includes(event.commandName)) return;
        commands.push({ name: event.commandName, filters: filtersOf(event.command as Record<string, unknown>) });
      },
    });
    const register = (name: string) => chat.registerUser({ input: { name, email: `${name.toLowerCase()}.${randomUUID().slice(0, 6)}@example.test`, password: "long enough password" } });
    [alice, bob, carol, dave] = [await register("Alice"), await register("Bob"), await register("Carol"), await register("Dave")];
    const created = await chat.createConversation({ userId: alice.id, input: { kind: "group", name: "Injection", memberIds: [bob.id, carol.id] } });
    conversationId = created.conversation.id;
    messageId = (await chat.sendMessage({ userId: alice.id, input: { conversationId, clientMsgId: randomUUID(), text: "hello" } })).message.id;
  });

  after(async () => {
    const { closeDb } = await import("../../lib/db/client");
    await closeDb();
    await stopDb?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Each entry: a domain call and the legitimate input whose fields get replaced one at a time. */
  const entries = () => {
    const ok = { conversationId, clientMsgId: randomUUID(), text: "fine" };
    return [
      { name: "sendMessage", valid: ok, call: (input: unknown) => chat.sendMessage({ userId: bob.id, input }) },
      { name: "listMessages", valid: { conversationId, before: 5, limit: 10 }, call: (input: unknown) => chat.listMessages({ userId: bob.id, input }) },
      { name: "syncMessages", valid: { conversationId, sinceVersion: 0 }, call: (input: unknown) => chat.syncMessages({ userId: bob.id, input }) },
      { name: "markRead", valid: { conversationId, seq: 1 }, call: (input: unknown) => chat.markRead({ userId: bob.id, input }) },
      { name: "sendMessage (a reply)", valid: { ...ok, clientMsgId: randomUUID(), replyTo: messageId }, call: (input: unknown) => chat.sendMessage({ userId: bob.id, input }) },
      { name: "sendMessage (mentions)", valid: { ...ok, clientMsgId: randomUUID(), mentions: [alice.id, carol.id] }, call: (input: unknown) => chat.sendMessage({ userId: bob.id, input }) },
      { name: "markUnread", valid: { conversationId, unread: true }, call: (input: unknown) => chat.markUnread({ userId: bob.id, input }) },
      { name: "muteConversation", valid: { conversationId, muted: true }, call: (input: unknown) => chat.muteConversation({ userId: bob.id, input }) },
      { name: "updateSettings", valid: { readReceipts: false }, call: (input: unknown) => chat.updateSettings({ userId: carol.id, input }) },
      { name: "markDelivered", valid: { conversationId, seq: 1 }, call: (input: unknown) => chat.markDelivered({ userId: bob.id, input }) },
      { name: "createConversation", valid: { kind: "direct", userId: carol.id }, call: (input: unknown) => chat.createConversation({ userId: bob.id, input }) },
      { name: "renameConversation", valid: { conversationId, name: "Renamed" }, call: (input: unknown) => chat.renameConversation({ userId: alice.id, input }) },
      { name: "addMember", valid: { conversationId, userId: dave.id }, call: (input: unknown) => chat.addMember({ userId: alice.id, input }) },
      { name: "removeMember", valid: { conversationId, userId: dave.id }, call: (input: unknown) => chat.removeMember({ userId: alice.id, input }) },
      { name: "setMemberRole", valid: { conversationId, userId: carol.id, role: "admin" }, call: (input: unknown) => chat.setMemberRole({ userId: alice.id, input }) },
      { name: "editMessage", valid: { messageId, text: "edited" }, call: (input: unknown) => chat.editMessage({ userId: alice.id, input }) },
      { name: "deleteMessage", valid: { messageId, for: "me" }, call: (input: unknown) => chat.deleteMessage({ userId: bob.id, input }) },
      { name: "reactToMessage", valid: { messageId, emoji: "👍" }, call: (input: unknown) => chat.reactToMessage({ userId: bob.id, input }) },
      { name: "pinMessage", valid: { messageId, pinned: true }, call: (input: unknown) => chat.pinMessage({ userId: bob.id, input }) },
      // The database path of typing (a conversation the connection has not joined).
      { name: "authorizeTyping", valid: { conversationId, typing: true }, call: (input: unknown) => chat.authorizeTyping({ userId: bob.id, input, joined: () => false }) },
      { name: "searchUsers", valid: { q: "Ali" }, call: (input: unknown) => chat.searchUsers({ userId: bob.id, input }) },
      { name: "registerUser", valid: { name: "Eve", email: `eve.${randomUUID().slice(0, 6)}@example.test`, password: "long enough password" }, call: (input: unknown) => chat.registerUser({ input }) },
      { name: "authenticate", valid: { email: "alice@example.test", password: "long enough password" }, call: (input: unknown) => chat.authenticate({ input }) },
    ];
  };

  it("refuses every operator, array or prototype value in every field before the database sees it", async () => {
    let tried = 0;
    for (const entry of entries()) {
      for (const field of Object.keys(entry.valid)) {
        for (const hostile of OPERATOR_VALUES) {
          // A value of the field's own primitive type is not hostile (12 is a fine `before`).
          const own = (entry.valid as Record<string, unknown>)[field];
          if (hostile !== null && typeof hostile !== "object" && typeof hostile === typeof own) continue;
          const input = { ...entry.valid, [field]: hostile };
          const seen = commands.length;
          let outcome: unknown;
          try {
            outcome = await entry.call(input);
          } catch (error) {
            outcome = error;
          }
          tried += 1;
          const label = `${entry.name}.${field} = ${JSON.stringify(hostile)}`;
          if (entry.name === "authenticate") assert.equal(outcome, null, `${label} signed someone in`);
          else assert.equal((outcome as { code?: string }).code, "VALIDATION", `${label} was not refused: ${String(outcome)}`);
          assert.deepEqual(commands.slice(seen).map((c) => c.name), [], `${label} reached the database`);
        }
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, "Object.prototype was polluted");
    console.log(`[nosql] ${tried} hostile inputs over ${entries().length} domain functions, all refused before any database command`);
  });

  it("sends only plain values under our own operators in every filter of a legitimate run", async () => {
    const seen = commands.length;
    for (const entry of entries()) await entry.call(entry.valid).catch(() => undefined);
    // Presence's reads and writes take ids the server holds, not input; their filters are checked all the same.
    await chat.listContacts({ userId: bob.id, conversationIds: [conversationId] });
    await chat.recordLastSeen({ userId: bob.id, at: new Date() });
    // A search for regex metacharacters is matched literally.
    await chat.searchUsers({ userId: bob.id, input: { q: "a.*(" } });
    const run = commands.slice(seen);
    assert.ok(run.length >= entries().length, "the run reached the database");
    const problems: string[] = [];
    for (const [i, command] of run.entries()) command.filters.forEach((filter, j) => inspect(filter, `${command.name}#${i}.filter${j}`, problems));
    assert.deepEqual(problems, []);
    const patterns = run.flatMap((c) => JSON.stringify(c.filters).match(/"\$regex":"[^"]*"/g) ?? []);
    assert.ok(patterns.some((p) => p.includes("a\\\\.\\\\*\\\\(")), `the search pattern was not escaped: ${patterns.join(", ")}`);
    console.log(`[nosql] ${run.length} commands of a legitimate run inspected, ${run.reduce((n, c) => n + c.filters.length, 0)} filters`);
  });
});
