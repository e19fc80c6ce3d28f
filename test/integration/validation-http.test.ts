// Hostile input on every mutating HTTP entry: one table of bodies per route, each answered
// 400 VALIDATION with a clear message, nothing written, the web app still up. A new route joins
// by adding a row to ENTRIES.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { ConversationDto, MessageDto } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { createUser, openDirect, type TestUser } from "../support/users";

type Body = { label: string; raw: string };

/** Values no field of ours accepts in place of its own. */
const HOSTILE: [string, unknown][] = [
  ["an operator object", { $gt: "" }],
  ["a $where operator", { $where: "sleep(100)" }],
  ["an array", ["a"]],
  ["an array of operators", [{ $ne: null }]],
  ["null", null],
  ["true", true],
  ["a nested object", { a: { b: 1 } }],
  ["a constructor object", { constructor: { prototype: { x: 1 } } }],
];

const json = (value: unknown) => JSON.stringify(value);
/** JSON with `key` as an own key literally named as given (e.g. __proto__). */
const withKey = (value: object, key: string, inner: unknown) => json({ ...value, KEY: inner }).replace('"KEY"', json(key));

/** Every body a route must refuse, built from one valid body and what its fields must hold. */
function hostileBodies(valid: Record<string, unknown>, wrongPrimitives: Record<string, unknown[]>): Body[] {
  const bodies: Body[] = [
    { label: "malformed JSON", raw: "{" },
    { label: "an empty body", raw: "" },
    { label: "a JSON string", raw: json("hello") },
    { label: "a JSON number", raw: "42" },
    { label: "a JSON array", raw: json([valid]) },
    { label: "JSON null", raw: "null" },
    { label: "an empty object", raw: "{}" },
    { label: "every field under __proto__", raw: withKey({}, "__proto__", valid) },
  ];
  for (const field of Object.keys(valid)) {
    const rest = Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field));
    bodies.push({ label: `no ${field}`, raw: json(rest) });
    bodies.push({ label: `${field} only under __proto__`, raw: withKey(rest, "__proto__", { [field]: valid[field] }) });
    for (const [label, value] of HOSTILE) {
      // `true` is no hostile value for a boolean field.
      if (typeof value === "boolean" && typeof valid[field] === "boolean") continue;
      bodies.push({ label: `${label} as ${field}`, raw: json({ ...valid, [field]: value }) });
    }
    for (const value of wrongPrimitives[field] ?? []) bodies.push({ label: `${json(value).slice(0, 40)} as ${field}`, raw: json({ ...valid, [field]: value }) });
  }
  return bodies;
}

const LONE_SURROGATE = "\ud800";
/** Text that shows nothing (lib/schemas/text.ts): refused like empty text. */
const INVISIBLE = ["\u200b", "\u200e\u200d", "\u3164", "\u2800"];
const TEXTS = ["", "   ", ...INVISIBLE, "x".repeat(4001), ` ${"y".repeat(4001)} `, `lone ${LONE_SURROGATE} surrogate`, "\udc00", 7, 0, -1];
const NAMES = ["", "  ", "\t\n ", ...INVISIBLE, "n".repeat(101), "n".repeat(5000), "n".repeat(60 * 1024), 5, 0, false, 1.5, `G${LONE_SURROGATE}`, "\udc00"];
const ROLES = ["owner", "", "Admin", "ADMIN", "admin ", " admin", "moderator", 1, 0, "member\u0000", "a".repeat(1000), "__proto__", "\ud800"];
const USER_IDS = ["zz", "", "A".repeat(24), "g".repeat(24), "0".repeat(23), "0".repeat(25), 12, "$gt", "__proto__", "constructor", " 0123456789abcdef01234567", "0123456789abcdef01234567\n"];
const EMOJIS = ["", " ", "a", "ab", "1", "#", "👍👍", "👍 ", "❤", "<b>", "😀".repeat(20), "\ud83d", 1, true];
const FLAGS = ["true", "false", 1, 0, "", "yes", "on", -1, 1.5, "null", "TRUE", "1", [true]];
const SEQS = [-1, -100, 0.5, 1.0000001, "1", "", "0x10", "1e3", Number.MAX_SAFE_INTEGER + 2, 2 ** 60, "Infinity", [1], {}];

describe("hostile HTTP bodies", { timeout: 180_000 }, () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let conversationId: string;
  let groupId: string;
  let messageId: string;
  let roomId: string;

  before(async () => {
    stack = await startStack();
    [alice, bob, carol] = (await Promise.all(["Alice", "Bob", "Carol"].map((n) => createUser(stack, `${n} Http`)))) as [TestUser, TestUser, TestUser];
    conversationId = await openDirect(alice, bob);
    const group = await alice.api("/api/conversations", { method: "POST", body: json({ kind: "group", name: "Hostile", memberIds: [bob.id, carol.id] }) });
    groupId = ((await group.json()) as { conversation: { id: string } }).conversation.id;
    // Bob's own message: his edits of it would pass, so only the body can be what is refused.
    const sent = await bob.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: json({ clientMsgId: randomUUID(), text: "original" }) });
    messageId = ((await sent.json()) as { message: MessageDto }).message.id;
    // Alice's room: Bob's hostile changes of it would be NOT_FOUND, so only the body can be what is refused.
    const room = await alice.api("/api/rooms", { method: "POST", body: json({ name: "Hostile room", topic: "kept" }) });
    roomId = ((await room.json()) as { room: { id: string } }).room.id;
  });

  after(async () => {
    await stack?.stop();
  });

  const entries = (): { route: string; method?: string; valid: Record<string, unknown>; wrong: Record<string, unknown[]> }[] => [
    {
      route: `/api/conversations/${conversationId}/messages`,
      valid: { clientMsgId: randomUUID(), text: "hello" },
      wrong: { clientMsgId: ["not-a-uuid", "", 12, randomUUID().toUpperCase() + "x"], text: TEXTS },
    },
    {
      route: "/api/conversations",
      valid: { kind: "group", name: "Group", memberIds: [bob.id, carol.id] },
      wrong: { kind: ["channel", "", "GROUP", 1], name: ["", "  ", ...INVISIBLE, "n".repeat(101), 5, `G${LONE_SURROGATE}`], memberIds: [[bob.id], [], ["zz"], [bob.id, { $gt: "" }], "abc"] },
    },
    { route: `/api/conversations/${conversationId}/read`, valid: { seq: 1 }, wrong: { seq: SEQS } },
    { route: `/api/messages/${messageId}`, method: "PATCH", valid: { text: "edited" }, wrong: { text: [...TEXTS, "\t\n ", false, "z".repeat(60 * 1024)] } },
    { route: `/api/messages/${messageId}/reactions`, valid: { emoji: "👍" }, wrong: { emoji: EMOJIS } },
    { route: `/api/conversations/${groupId}`, method: "PATCH", valid: { name: "Renamed" }, wrong: { name: NAMES } },
    { route: `/api/conversations/${groupId}/members`, valid: { userId: alice.id }, wrong: { userId: USER_IDS } },
    { route: `/api/conversations/${groupId}/members/${carol.id}`, method: "PATCH", valid: { role: "admin" }, wrong: { role: ROLES } },
    { route: `/api/conversations/${conversationId}/delivered`, valid: { seq: 1 }, wrong: { seq: SEQS } },
    { route: `/api/conversations/${conversationId}/unread`, valid: { unread: true }, wrong: { unread: FLAGS } },
    { route: `/api/conversations/${conversationId}/mute`, valid: { muted: true }, wrong: { muted: FLAGS } },
    { route: "/api/settings", method: "PATCH", valid: { readReceipts: false }, wrong: { readReceipts: FLAGS } },
    { route: "/api/rooms", valid: { name: "Room" }, wrong: { name: NAMES } },
    {
      route: `/api/rooms/${roomId}`,
      method: "PATCH",
      valid: { topic: "New topic" },
      wrong: { topic: ["t".repeat(251), "t".repeat(5000), "z".repeat(60 * 1024), 5, 0, -1, 1.5, false, `x${LONE_SURROGATE}`, "\udc00", [""], { $regex: ".*" }] },
    },
    {
      route: "/api/register",
      valid: { name: "Eve", email: `eve.${randomUUID().slice(0, 8)}@example.test`, password: "long enough password" },
      wrong: {
        name: ["", "   ", ...INVISIBLE, "n".repeat(81), 3, `Eve${LONE_SURROGATE}`],
        email: ["not-an-email", "a@", `${"e".repeat(250)}@x.io`, "", 5, `x${LONE_SURROGATE}@example.test`],
        password: ["short", "p".repeat(257), "", 12345678],
      },
    },
  ];

  const snapshot = async () => {
    // Whole messages, not a count: an edit or a reaction is a write too.
    const messages = JSON.stringify(((await (await alice.api(`/api/conversations/${conversationId}/messages?limit=100`)).json()) as { messages: MessageDto[] }).messages);
    const conversations = ((await (await alice.api("/api/conversations")).json()) as { conversations: ConversationDto[] }).conversations.length;
    const me = ((await (await alice.api("/api/conversations")).json()) as { conversations: ConversationDto[] }).conversations
      .flatMap((c) => c.members)
      .filter((m) => m.id === bob.id)
      .map((m) => [m.deliveredSeq, m.readSeq]);
    const group = ((await (await alice.api("/api/conversations")).json()) as { conversations: ConversationDto[] }).conversations.find((c) => c.id === groupId);
    const marks = ((await (await bob.api("/api/conversations")).json()) as { conversations: ConversationDto[] }).conversations.map((c) => [c.markedUnread, c.muted]);
    const settings = await (await bob.api("/api/settings")).json();
    return { messages, conversations, me, group: [group?.name, group?.members.map((m) => m.id).sort(), group?.lastSeq], marks, settings };
  };

  it("answers at least 30 hostile bodies per mutating route with VALIDATION and writes nothing", async () => {
    const before = await snapshot();
    const counts: string[] = [];
    for (const { route, method = "POST", valid, wrong } of entries()) {
      const bodies = hostileBodies(valid, wrong);
      assert.ok(bodies.length >= 30, `${route}: only ${bodies.length} hostile bodies`);
      for (const { label, raw } of bodies) {
        const response = await bob.api(route, { method, body: raw });
        const text = await response.text();
        assert.equal(response.status, 400, `${route} with ${label}: ${response.status} ${text.slice(0, 200)}`);
        const { error } = JSON.parse(text) as { error: { code: string; message: string; retryable: boolean } };
        assert.equal(error.code, "VALIDATION", `${route} with ${label}`);
        assert.equal(error.retryable, false);
        assert.ok(error.message.length >= 8, `${route} with ${label}: unhelpful message ${error.message}`);
      }
      counts.push(`${method} ${route.replace(conversationId, ":id").replace(groupId, ":id").replace(messageId, ":id").replace(carol.id, ":userId").replace(roomId, ":id")} ${bodies.length}`);
    }
    assert.deepEqual(await snapshot(), before, "a hostile body wrote something");
    const health = await fetch(`${stack.webUrl}/api/health`);
    assert.equal(health.status, 200);
    console.log(`[validation-http] hostile bodies refused: ${counts.join(", ")}`);
  });

  it("answers at least 30 hostile ids in DELETE /api/conversations/:id/members/:userId with VALIDATION and removes nobody", async () => {
    const before = await snapshot();
    const segments = [
      "zz", "%24gt", "%7B%22%24gt%22%3A%22%22%7D", "__proto__", "constructor", "prototype", "0".repeat(23), "0".repeat(25), "G".repeat(24),
      "A".repeat(24), "%00", "%20" + carol.id, carol.id + "%20", "..%2F..", "null", "undefined", "true", "1", "-1", "1e3", "%5B%5D", "x".repeat(1000),
      "%F0%9F%98%80", "%E2%80%AE" + carol.id.slice(1), "a%2Cb", `${carol.id}%2C${bob.id}`, carol.id.toUpperCase(), "%0A" + carol.id.slice(1), "%24where", "NaN",
    ];
    assert.ok(segments.length >= 30);
    const paths = [
      ...segments.map((segment) => `/api/conversations/${groupId}/members/${segment}`),
      // The conversation's own segment, hostile too.
      ...["%24gt", "__proto__", "0".repeat(25)].map((segment) => `/api/conversations/${segment}/members/${carol.id}`),
    ];
    for (const path of paths) {
      const response = await alice.api(path, { method: "DELETE" });
      const text = await response.text();
      assert.equal(response.status, 400, `DELETE ${path}: ${response.status} ${text.slice(0, 200)}`);
      assert.equal((JSON.parse(text) as { error: { code: string } }).error.code, "VALIDATION", path);
    }
    assert.deepEqual(await snapshot(), before, "a hostile id removed someone");
    console.log(`[validation-http] hostile ids refused: DELETE members ${paths.length}`);
  });

  it("answers hostile message ids and `for` values in /api/messages/:id paths with VALIDATION and changes nothing", async () => {
    const before = await snapshot();
    const ids = [
      "zz", "%24gt", "%7B%22%24gt%22%3A%22%22%7D", "__proto__", "constructor", "0".repeat(23), "0".repeat(25), "G".repeat(24), "A".repeat(24), "%00",
      "%20" + messageId, messageId + "%20", "..%2F..", "null", "undefined", "true", "1", "-1", "%5B%5D", "x".repeat(1000), "%F0%9F%98%80", "a%2Cb",
      messageId.toUpperCase(), "%0A" + messageId.slice(1), "%24where", "NaN", messageId.slice(1), `${messageId}a`, "%E2%80%AE" + messageId.slice(1), "0x10",
    ];
    const requests: [string, string, string | undefined][] = [];
    for (const id of ids) {
      requests.push(["PATCH", `/api/messages/${id}`, json({ text: "edited" })]);
      requests.push(["DELETE", `/api/messages/${id}?for=me`, undefined]);
      requests.push(["POST", `/api/messages/${id}/reactions`, json({ emoji: "👍" })]);
      requests.push(["PUT", `/api/messages/${id}/pin`, undefined]);
    }
    for (const value of ["", "ME", "all", "everyone%20", "%24gt", "1", "true", "null", "[]", "others", "Everyone", "%00", "me%00", "x".repeat(500)]) {
      requests.push(["DELETE", `/api/messages/${messageId}?for=${value}`, undefined]);
    }
    requests.push(["DELETE", `/api/messages/${messageId}`, undefined]);
    assert.ok(ids.length >= 30);
    for (const [method, path, body] of requests) {
      const response = await bob.api(path, { method, body });
      const text = await response.text();
      assert.equal(response.status, 400, `${method} ${path.slice(0, 80)}: ${response.status} ${text.slice(0, 200)}`);
      assert.equal((JSON.parse(text) as { error: { code: string } }).error.code, "VALIDATION", path);
    }
    assert.deepEqual(await snapshot(), before, "a hostile id or for changed a message");
    console.log(`[validation-http] hostile message ids and for values refused: ${requests.length}`);
  });

  it("refuses a 2 MiB body cleanly and stays up", async () => {
    const response = await bob.api(`/api/conversations/${conversationId}/messages`, {
      method: "POST",
      body: json({ clientMsgId: randomUUID(), text: "z".repeat(2 * 1024 * 1024) }),
    });
    const text = await response.text();
    assert.ok([400, 413].includes(response.status), `${response.status} ${text.slice(0, 200)}`);
    const health = await fetch(`${stack.webUrl}/api/health`);
    assert.equal(health.status, 200);
  });

  it("keeps text with RTL marks, zero-width characters and emoji exactly as sent", async () => {
    const text = "\u202eabc\u202c \u200bzero\u200d width 👩🏽‍💻 שלום";
    const response = await bob.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: json({ clientMsgId: randomUUID(), text }) });
    assert.equal(response.status, 201);
    assert.equal(((await response.json()) as { message: MessageDto }).message.text, text);
  });
});
