// Every payload is validated at the boundary: a bad one is answered with a VALIDATION ack that
// says what is wrong, stores nothing, and never takes the server (or anyone else's socket) down.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Socket } from "socket.io-client";
import { CLIENT_EVENTS, type Ack } from "../../lib/realtime/events";
import type { MessageDto } from "../../lib/schemas/dto";
import { callAction } from "../support/actions";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, openDirect, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

type ClientEvent = (typeof CLIENT_EVENTS)[number];
type Case = { label: string; payload: unknown; message?: RegExp };

const OPERATOR = { $gt: "" };
const NON_HEX_ID = "zzzzzzzzzzzzzzzzzzzzzzzz";

async function listMessages(user: TestUser, conversationId: string): Promise<MessageDto[]> {
  const response = await user.api(`/api/conversations/${conversationId}/messages?limit=100`);
  assert.equal(response.status, 200);
  return ((await response.json()) as { messages: MessageDto[] }).messages;
}

function assertValidationAck(ack: Ack<unknown>, what: string, message?: RegExp): void {
  assert.equal(ack.ok, false, `${what}: accepted, expected VALIDATION (${JSON.stringify(ack).slice(0, 200)})`);
  if (ack.ok) return;
  assert.equal(ack.error.code, "VALIDATION", `${what}: ${JSON.stringify(ack.error)}`);
  assert.equal(ack.error.retryable, false, what);
  assert.equal(typeof ack.error.message, "string");
  assert.ok(ack.error.message.length >= 8, `${what}: unhelpful message ${JSON.stringify(ack.error.message)}`);
  if (message) assert.match(ack.error.message, message, what);
}

async function socketHealth(stack: Stack): Promise<number> {
  const response = await fetch(`${stack.socketUrl}/health`);
  await response.body?.cancel();
  return response.status;
}

/** Resolves with the disconnect reason, or null when none happened within `ms`. */
function disconnectWithin(socket: TestSocket, ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

describe("payload validation", () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let conversationId: string;
  let socket: TestSocket;
  let messageId: string;

  const send = (text: unknown, extra: object = {}) => ({ conversationId, clientMsgId: randomUUID(), text, ...extra });
  /** A JSON object whose `__proto__` is an own key (as JSON.parse makes it on the server). */
  const withProto = (own: object, proto: object) => JSON.parse(JSON.stringify({ ...own, PROTO: proto }).replace('"PROTO"', '"__proto__"'));

  function cases(): Record<ClientEvent, Case[]> {
    // Every event names one id (a conversation's, or a message's): the same hostile table for it.
    const common = (valid: object, key: "conversationId" | "messageId" = "conversationId", id = conversationId): Case[] => {
      const field = new RegExp(key);
      return [
        { label: "a string", payload: "hello", message: /object/ },
        { label: "a number", payload: 42, message: /object/ },
        { label: "an array", payload: [valid], message: /object/ },
        { label: "null", payload: null, message: /object/ },
        { label: "an empty object", payload: {}, message: field },
        { label: `a non-hex ${key}`, payload: { ...valid, [key]: NON_HEX_ID }, message: field },
        { label: "an upper-case/short id", payload: { ...valid, [key]: id.toUpperCase().slice(1) }, message: field },
        ...(
          [
            ["an operator object", OPERATOR],
            ["a number", 12345],
            ["null", null],
            ["true", true],
            ["an empty array", []],
            ["an array holding the id", [id]],
            ["a $ne operator", { $ne: null }],
            ["a $where operator", { $where: "sleep(100)" }],
            ["a constructor object", { constructor: { prototype: { polluted: true } } }],
            ["an empty string", ""],
            ["a leading space", ` ${id}`],
            ["a trailing newline", `${id}\n`],
            ["a zero-width space inside", `${id.slice(0, 12)}\u200b${id.slice(12)}`],
            ["25 hex characters", `${id}a`],
            ["23 hex characters", id.slice(1)],
          ] as const
        ).map(([what, value]) => ({ label: `${what} as ${key}`, payload: { ...valid, [key]: value }, message: field })),
        {
          label: `${key} only under __proto__`,
          payload: withProto(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)), { [key]: id }),
          message: field,
        },
      ];
    };
    // Read and delivered take the same payload, so the same hostile table.
    const seqCases: Case[] = [
      ...common({ conversationId, seq: 1 }),
      { label: "missing seq", payload: { conversationId }, message: /seq/ },
      { label: "a negative seq", payload: { conversationId, seq: -1 }, message: /seq/ },
      { label: "a fractional seq", payload: { conversationId, seq: 0.5 }, message: /seq/ },
      { label: "a string seq", payload: { conversationId, seq: "1" }, message: /seq/ },
      { label: "an operator seq", payload: { conversationId, seq: OPERATOR }, message: /seq/ },
      { label: "seq only under __proto__", payload: withProto({ conversationId }, { seq: 1 }), message: /seq/ },
      ...[2 ** 60, "1e3", {}, [1], null].map((seq) => ({ label: `seq ${JSON.stringify(seq)}`, payload: { conversationId, seq }, message: /seq/ })),
    ];
    // Join and leave name a room alone; the direct conversation stands in (it is not a room, so a valid shape would be NOT_FOUND).
    const roomCases: Case[] = [
      ...common({ conversationId }),
      { label: "a $-prefixed key in place of conversationId", payload: { $conversationId: conversationId }, message: /conversationId/ },
      { label: "a dotted key in place of conversationId", payload: { "conversationId.$id": conversationId }, message: /conversationId/ },
      { label: "the id under a $eq operator", payload: { conversationId: { $eq: conversationId } }, message: /conversationId/ },
      { label: "the id under a $regex operator", payload: { conversationId: { $regex: ".*" } }, message: /conversationId/ },
      { label: "a room name in place of the id", payload: { name: "general" }, message: /conversationId/ },
      { label: "an object id shape", payload: { conversationId: { $oid: conversationId } }, message: /conversationId/ },
      { label: "a boolean", payload: true, message: /object/ },
      { label: "a nested array", payload: { conversationId: [[conversationId]] }, message: /conversationId/ },
    ];
    const messageCommon = (valid: object) => [
      ...common(valid, "messageId", messageId),
      { label: "the conversation's id in place of messageId", payload: { ...valid, messageId: undefined, conversationId }, message: /messageId/ },
    ];
    const edit = (text: unknown) => ({ messageId, text });
    // Calls name a call (a UUID) and, once a tab takes part, its party id: one hostile table for each.
    const callId = randomUUID();
    const partyId = "A".repeat(24);
    const callField = (valid: object, key: "callId" | "partyId"): Case[] => {
      const field = new RegExp(key);
      const good = (valid as Record<string, string>)[key]!;
      return [
        { label: "a string", payload: "ring", message: /object/ },
        { label: "an array", payload: [valid], message: /object/ },
        { label: "null", payload: null, message: /object/ },
        { label: `missing ${key}`, payload: { ...valid, [key]: undefined }, message: field },
        { label: `${key} only under __proto__`, payload: withProto({ ...valid, [key]: undefined }, { [key]: good }), message: field },
        ...[OPERATOR, { $ne: null }, 7, null, true, [], [good], "", ` ${good}`, `${good}\n`, `${good}x`, good.slice(1), "../../etc/passwd", "x".repeat(10_000), `${good.slice(0, 8)}\u200b${good.slice(8)}`].map(
          (value) => ({ label: `${key} ${JSON.stringify(value).slice(0, 30)}`, payload: { ...valid, [key]: value }, message: field }),
        ),
      ];
    };
    const party = { callId, partyId };
    const signal = (value: unknown) => ({ ...party, signal: value });
    return {
      "call:invite": [
        ...common({ conversationId, callId, media: "audio" }),
        ...callField({ conversationId, callId, media: "audio" }, "callId"),
        ...["", "AUDIO", "screen", "video ", 1, null, OPERATOR, ["audio"]].map((media) => ({ label: `media ${JSON.stringify(media)}`, payload: { conversationId, callId, media }, message: /media/ })),
      ],
      "call:answer": [
        ...callField({ callId, media: "video" }, "callId"),
        ...["", "Video", "both", 0, null, OPERATOR, ["video"], {}].map((media) => ({ label: `media ${JSON.stringify(media)}`, payload: { callId, media }, message: /media/ })),
        { label: "missing media", payload: { callId }, message: /media/ },
        { label: "media only under __proto__", payload: withProto({ callId }, { media: "audio" }), message: /media/ },
        { label: "everything under __proto__", payload: withProto({}, { callId, media: "audio" }), message: /callId/ },
      ],
      "call:reject": [
        ...callField({ callId }, "callId"),
        { label: "an empty object", payload: {}, message: /callId/ },
        { label: "a number", payload: 42, message: /object/ },
        { label: "callId as a message id", payload: { callId: messageId }, message: /callId/ },
        { label: "callId as a conversation id", payload: { callId: conversationId }, message: /callId/ },
        { label: "a $where callId", payload: { callId: { $where: "sleep(100)" } }, message: /callId/ },
        { label: "a constructor callId", payload: { callId: { constructor: { prototype: { polluted: true } } } }, message: /callId/ },
        { label: "an upper-case callId with braces", payload: { callId: `{${callId.toUpperCase()}}` }, message: /callId/ },
        { label: "a callId without dashes", payload: { callId: callId.replaceAll("-", "") }, message: /callId/ },
        { label: "a NUL inside callId", payload: { callId: `${callId.slice(0, 8)}\u0000${callId.slice(9)}` }, message: /callId/ },
        { label: "a right-to-left override inside callId", payload: { callId: `\u202e${callId.slice(1)}` }, message: /callId/ },
      ],
      "call:hangup": [
        ...callField(party, "callId"),
        ...callField(party, "partyId"),
        ...["", "network", "ICE", 1, true, null, OPERATOR].map((failed) => ({ label: `failed ${JSON.stringify(failed)}`, payload: { ...party, failed }, message: /failed/ })),
      ],
      "call:resume": [...callField(party, "callId"), ...callField(party, "partyId")],
      "call:connected": [...callField(party, "callId"), ...callField(party, "partyId")],
      "call:signal": [
        ...callField(signal({ candidate: null }), "callId"),
        ...callField(signal({ candidate: null }), "partyId"),
        { label: "missing signal", payload: party, message: /signal/ },
        { label: "an empty signal", payload: signal({}), message: /signal/ },
        { label: "a string signal", payload: signal("offer"), message: /signal/ },
        { label: "an operator signal", payload: signal(OPERATOR), message: /signal/ },
        { label: "a description of an unknown type", payload: signal({ description: { type: "hack", sdp: "v=0" } }), message: /signal/ },
        { label: "an SDP of 32,001 characters", payload: signal({ description: { type: "offer", sdp: "a".repeat(32_001) } }), message: /signal/ },
        { label: "an SDP that is an object", payload: signal({ description: { type: "offer", sdp: OPERATOR } }), message: /signal/ },
        { label: "a candidate of 1,001 characters", payload: signal({ candidate: { candidate: "c".repeat(1_001) } }), message: /signal/ },
        { label: "a candidate line index of -1", payload: signal({ candidate: { candidate: "c", sdpMLineIndex: -1 } }), message: /signal/ },
        { label: "media state with strings", payload: signal({ media: { muted: "yes", cameraOff: false } }), message: /signal/ },
        { label: "media state missing a flag", payload: signal({ media: { muted: true } }), message: /signal/ },
        { label: "signal only under __proto__", payload: withProto(party, { signal: { candidate: null } }), message: /signal/ },
      ],
      search: [
        // conversationId is optional here: the shared table's cases that name it, without "missing".
        ...common({ q: "zebra", conversationId }).filter((c) => !["an empty object", "conversationId only under __proto__"].includes(c.label)),
        { label: "an empty object", payload: {}, message: /q/ },
        { label: "missing q", payload: { conversationId }, message: /q/ },
        { label: "an empty q", payload: { q: "" }, message: /q: Type something to search for/ },
        { label: "a whitespace q", payload: { q: " \n\t " }, message: /q: Type something to search for/ },
        { label: "a q of 10,000 characters", payload: { q: "a".repeat(10_000) }, message: /q: A search is at most 500 characters/ },
        ...[OPERATOR, { $ne: "" }, 1, null, true, ["zebra"], { $regex: ".*" }].map((q) => ({ label: `q ${JSON.stringify(q)}`, payload: { q }, message: /q/ })),
        { label: "q only under __proto__", payload: withProto({}, { q: "zebra" }), message: /q/ },
        ...["x", "1.zz", `${"9".repeat(16)}.${"a".repeat(24)}`, OPERATOR, 1, null, ["1"]].map((cursor) => ({
          label: `cursor ${JSON.stringify(cursor).slice(0, 30)}`,
          payload: { q: "zebra", cursor },
          message: /cursor/,
        })),
        ...["Mars/Olympus", "", "UTC; drop", OPERATOR, 1, "x".repeat(65)].map((timeZone) => ({ label: `timeZone ${JSON.stringify(timeZone).slice(0, 30)}`, payload: { q: "zebra", timeZone }, message: /timeZone/ })),
        { label: "has: with an unknown value", payload: { q: "has:nothing" }, message: /has: takes file, image, link/ },
        { label: "before: that is not a date", payload: { q: "before:yesterday" }, message: /yesterday is not a date/ },
        { label: "after: a day that does not exist", payload: { q: "after:2026-02-30" }, message: /2026-02-30 is not a date/ },
        { label: "from: without a name", payload: { q: "from: zebra" }, message: /from: needs a value/ },
        { label: "thirteen words", payload: { q: "a b c d e f g h i j k l m" }, message: /at most 12 words/ },
      ],
      "message:edit": [
        ...messageCommon(edit("fixed")),
        { label: "missing text", payload: { messageId }, message: /text/ },
        { label: "empty text", payload: edit(""), message: /text: Message cannot be empty/ },
        { label: "whitespace-only text", payload: edit(" \n\t  "), message: /text: Message cannot be empty/ },
        { label: "invisible-only text", payload: edit("\u200b\u200d\u200e"), message: /text: Message cannot be empty/ },
        { label: "text of 4001 characters", payload: edit("x".repeat(4001)), message: /too long.*4000/ },
        { label: "an operator object as text", payload: edit(OPERATOR), message: /text/ },
        { label: "a number as text", payload: edit(7), message: /text/ },
        { label: "an array as text", payload: edit(["hi"]), message: /text/ },
        { label: "a lone surrogate in text", payload: edit("a\ud800b"), message: /lone surrogate/ },
        { label: "text only under __proto__", payload: withProto({ messageId }, { text: "smuggled" }), message: /text/ },
      ],
      "message:delete": [
        ...messageCommon({ messageId, for: "me" }),
        ...["", "ME", "all", "everyone ", "others", 1, true, null, OPERATOR, ["me"]].map((value) => ({
          label: `for ${JSON.stringify(value)}`,
          payload: { messageId, for: value },
          message: /for/,
        })),
        { label: "missing for", payload: { messageId }, message: /for/ },
        { label: "for only under __proto__", payload: withProto({ messageId }, { for: "everyone" }), message: /for/ },
      ],
      "message:react": [
        ...messageCommon({ messageId, emoji: "👍" }),
        ...["", "a", "ab", "👍👍", "👍 ", "<img src=x>", "❤", "1", "#", "\u200d", "😀".repeat(20), "\ud83d", 1, null, OPERATOR, ["👍"]].map((emoji) => ({
          label: `emoji ${JSON.stringify(emoji)}`,
          payload: { messageId, emoji },
          message: /emoji/,
        })),
        { label: "missing emoji", payload: { messageId }, message: /emoji/ },
        { label: "a string as add", payload: { messageId, emoji: "👍", add: "yes" }, message: /add/ },
        { label: "a number as add", payload: { messageId, emoji: "👍", add: 1 }, message: /add/ },
      ],
      "message:pin": [
        ...messageCommon({ messageId, pinned: true }),
        ...["true", 1, 0, null, "", OPERATOR, [true]].map((pinned) => ({ label: `pinned ${JSON.stringify(pinned)}`, payload: { messageId, pinned }, message: /pinned/ })),
        { label: "missing pinned", payload: { messageId }, message: /pinned/ },
        { label: "pinned only under __proto__", payload: withProto({ messageId }, { pinned: true }), message: /pinned/ },
      ],
      "message:send": [
        ...common(send("hi")),
        { label: "missing clientMsgId", payload: { conversationId, text: "hi" }, message: /clientMsgId/ },
        { label: "a non-UUID clientMsgId", payload: send("hi", { clientMsgId: "not-a-uuid" }), message: /clientMsgId/ },
        { label: "an operator clientMsgId", payload: send("hi", { clientMsgId: OPERATOR }), message: /clientMsgId/ },
        { label: "missing text", payload: { conversationId, clientMsgId: randomUUID() }, message: /text/ },
        { label: "empty text", payload: send(""), message: /text: Message cannot be empty/ },
        { label: "whitespace-only text", payload: send(" \n\t  "), message: /text: Message cannot be empty/ },
        { label: "a zero-width space as text", payload: send("\u200b"), message: /text: Message cannot be empty/ },
        { label: "invisible-only text", payload: send(" \u2060\ufeff\u3164\u202e "), message: /text: Message cannot be empty/ },
        { label: "text of 4001 characters", payload: send("x".repeat(4001)), message: /too long.*4000/ },
        { label: "4001 characters after trimming", payload: send(`  ${"y".repeat(4001)}  `), message: /too long/ },
        { label: "an operator object as text", payload: send(OPERATOR), message: /text/ },
        { label: "a number as text", payload: send(7), message: /text/ },
        { label: "an array as text", payload: send(["hi"]), message: /text/ },
        { label: "text only under __proto__", payload: withProto({ conversationId, clientMsgId: randomUUID() }, { text: "smuggled" }), message: /text/ },
        {
          label: "everything under __proto__",
          payload: withProto({}, { conversationId, clientMsgId: randomUUID(), text: "smuggled" }),
          message: /conversationId/,
        },
        { label: "a lone high surrogate in text", payload: send("a\ud800b"), message: /lone surrogate/ },
        { label: "a lone low surrogate in text", payload: send("\udc00"), message: /lone surrogate/ },
        { label: "a non-hex replyTo", payload: send("hi", { replyTo: NON_HEX_ID }), message: /replyTo/ },
        { label: "an operator replyTo", payload: send("hi", { replyTo: OPERATOR }), message: /replyTo/ },
        { label: "mentions as a string", payload: send("hi", { mentions: "everyone" }), message: /mentions/ },
        { label: "an operator in mentions", payload: send("hi", { mentions: [OPERATOR] }), message: /mentions/ },
        { label: "mentions as an operator object", payload: send("hi", { mentions: { $in: [] } }), message: /mentions/ },
        { label: "a non-hex id in mentions", payload: send("hi", { mentions: [NON_HEX_ID] }), message: /mentions/ },
        { label: "51 mentions", payload: send("hi", { mentions: Array.from({ length: 51 }, () => "0".repeat(24)) }), message: /mentions/ },
        { label: "mentioning someone outside the conversation", payload: send("hi", { mentions: ["0".repeat(24)] }), message: /mentions: you can only mention members/ },
        ...["x", 1, null, {}, OPERATOR, [OPERATOR], [NON_HEX_ID], [1], [null], [["0".repeat(24)]], ["../../etc/passwd"]].map((attachments) => ({
          label: `attachments ${JSON.stringify(attachments)}`,
          payload: send("hi", { attachments }),
          message: /attachments/,
        })),
        { label: "no attachments", payload: send("hi", { attachments: [] }), message: /attachments: give at least one/ },
        { label: "11 attachments", payload: send("hi", { attachments: Array.from({ length: 11 }, (_, i) => i.toString(16).padStart(24, "0")) }), message: /At most 10 files/ },
        { label: "one file twice", payload: send("hi", { attachments: ["0".repeat(24), "0".repeat(24)] }), message: /attachments: each file once/ },
        { label: "attachments only under __proto__ and no text", payload: withProto({ conversationId, clientMsgId: randomUUID() }, { attachments: ["0".repeat(24)] }), message: /text/ },
        { label: "a caption of 4001 characters", payload: send("x".repeat(4001), { attachments: ["0".repeat(24)] }), message: /too long/ },
        { label: "an operator caption", payload: send(OPERATOR, { attachments: ["0".repeat(24)] }), message: /text/ },
        { label: "a lone surrogate in a caption", payload: send("\ud800", { attachments: ["0".repeat(24)] }), message: /lone surrogate/ },
      ],
      sync: [
        ...common({ conversationId, sinceVersion: 0 }),
        { label: "missing sinceVersion", payload: { conversationId }, message: /sinceVersion/ },
        { label: "a negative sinceVersion", payload: { conversationId, sinceVersion: -1 }, message: /sinceVersion/ },
        { label: "a fractional sinceVersion", payload: { conversationId, sinceVersion: 1.5 }, message: /sinceVersion/ },
        { label: "an operator sinceVersion", payload: { conversationId, sinceVersion: OPERATOR }, message: /sinceVersion/ },
        { label: "a word as sinceVersion", payload: { conversationId, sinceVersion: "latest" }, message: /sinceVersion/ },
        { label: "sinceVersion only under __proto__", payload: withProto({ conversationId }, { sinceVersion: 0 }), message: /sinceVersion/ },
        ...[2 ** 60, "1e3", {}, [0], null].map((sinceVersion) => ({ label: `sinceVersion ${JSON.stringify(sinceVersion)}`, payload: { conversationId, sinceVersion }, message: /sinceVersion/ })),
      ],
      "conversation:read": seqCases,
      "room:join": roomCases,
      "room:leave": roomCases,
      "conversation:delivered": seqCases,
      typing: [
        ...common({ conversationId, typing: true }),
        { label: "missing typing", payload: { conversationId }, message: /typing/ },
        ...["virus", "", 1, null, OPERATOR, ["photo"], "PHOTO"].map((activity) => ({ label: `activity ${JSON.stringify(activity)}`, payload: { conversationId, typing: true, activity }, message: /activity/ })),
        { label: "typing only under __proto__", payload: withProto({ conversationId }, { typing: true }), message: /typing/ },
        { label: "an operator as typing", payload: { conversationId, typing: OPERATOR }, message: /typing/ },
        // A flag is a flag: nothing that merely looks true (or false) passes for one.
        ...["true", "false", "", 1, 0, null, {}, [], [true], "yes"].map((typing) => ({
          label: `typing ${JSON.stringify(typing)}`,
          payload: { conversationId, typing },
          message: /typing/,
        })),
      ],
      // No id to name: the table is the flag's, and the shapes around it.
      visibility: [
        ...(
          [
            ["a string", "visible"],
            ["a number", 1],
            ["an array", [{ visible: true }]],
            ["null", null],
            ["true", true],
          ] as const
        ).map(([what, payload]) => ({ label: what, payload, message: /object/ })),
        { label: "an empty object", payload: {}, message: /visible/ },
        { label: "visible only under __proto__", payload: withProto({}, { visible: true }), message: /visible/ },
        { label: "an operator as visible", payload: { visible: OPERATOR }, message: /visible/ },
        { label: "a $ne operator as visible", payload: { visible: { $ne: false } }, message: /visible/ },
        { label: "a constructor object as visible", payload: { visible: { constructor: { prototype: { polluted: true } } } }, message: /visible/ },
        { label: "a misspelt key", payload: { visibile: true }, message: /visible/ },
        { label: "a $-prefixed key", payload: { $visible: true }, message: /visible/ },
        { label: "a dotted key", payload: { "visible.$eq": true }, message: /visible/ },
        { label: "the document's visibilityState", payload: { visible: "visible" }, message: /visible/ },
        { label: "the document's hidden state", payload: { visible: "hidden" }, message: /visible/ },
        // A flag is a flag: nothing that merely looks true (or false) passes for one.
        ...["true", "false", "", " ", 1, 0, -1, 0.5, null, {}, [], [true], [false], "yes", "no", "on", "TRUE", 2 ** 60].map((visible) => ({
          label: `visible ${JSON.stringify(visible)}`,
          payload: { visible },
          message: /visible/,
        })),
      ],
    };
  }

  before(async () => {
    stack = await startStack();
    [alice, bob] = await Promise.all([createUser(stack, "Alice Valid"), createUser(stack, "Bob Valid")]);
    conversationId = await openDirect(alice, bob);
    socket = await connect(stack, { token: alice.token });
    // One real message, so a read or sync of an empty conversation is not what passes.
    const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", send("first"));
    assert.ok(ack.ok);
    messageId = ack.data.message.id;
  });

  after(async () => {
    socket?.disconnect();
    await stack?.stop();
  });

  describe("socket events", () => {
    // Every event of the contract, so a new event cannot ship without its row of hostile payloads.
    for (const event of CLIENT_EVENTS) {
      it(`answers every invalid ${event} payload with VALIDATION and stores nothing`, async () => {
        const countBefore = (await listMessages(alice, conversationId)).length;
        const all = cases()[event];
        assert.ok(all.length >= 30, `the table has only ${all.length} cases`);
        for (const { label, payload, message } of all) {
          assertValidationAck(await emitAck(socket, event, payload), `${event} with ${label}`, message);
        }
        assert.equal((await listMessages(alice, conversationId)).length, countBefore);
        assert.equal(socket.connected, true);
      });
    }

    // With z.coerce.number(), `true`, `null`, `""` and `[]` were silently read as 1 or 0 over the
    // socket. Only the HTTP routes turn query strings into numbers (lib/http.ts).
    it("refuses sinceVersion values of the wrong type instead of coercing them", async () => {
      const accepted: string[] = [];
      for (const sinceVersion of [true, false, null, "", "  ", [], [3]]) {
        const ack = await emitAck(socket, "sync", { conversationId, sinceVersion });
        if (ack.ok) accepted.push(JSON.stringify(sinceVersion));
        else assertValidationAck(ack, `sync with sinceVersion ${JSON.stringify(sinceVersion)}`, /sinceVersion/);
      }
      assert.deepEqual(accepted, [], `sync accepted sinceVersion of the wrong type: ${accepted.join(", ")}`);
    });

    it("accepts 4000 characters (after trimming) and stores the trimmed text", async () => {
      const exact = "z".repeat(4000);
      const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", send(`\n  ${exact}  \t`));
      assert.ok(ack.ok, JSON.stringify(ack).slice(0, 200));
      assert.equal(ack.data.message.text, exact);
      const stored = (await listMessages(alice, conversationId)).find((m) => m.id === ack.data.message.id);
      assert.equal(stored?.text, exact);
    });

    it("does not let a __proto__ payload pollute the server's objects", async () => {
      const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", withProto(send("plain"), { text: "polluted", seq: 1, sinceVersion: 0 }));
      assert.ok(ack.ok, JSON.stringify(ack));
      assert.equal(ack.data.message.text, "plain");
      // Had Object.prototype picked up `text`, `seq` or `sinceVersion`, these would now pass.
      assertValidationAck(await emitAck(socket, "message:send", { conversationId, clientMsgId: randomUUID() }), "send without text", /text/);
      assertValidationAck(await emitAck(socket, "conversation:read", { conversationId }), "read without seq", /seq/);
      assertValidationAck(await emitAck(socket, "sync", { conversationId }), "sync without sinceVersion", /sinceVersion/);
    });

    it("answers a payload far over the text limit (but under the transport limit) with VALIDATION", async () => {
      const ack = await emitAck(socket, "message:send", send("w".repeat(60 * 1024)));
      assertValidationAck(ack, "a 60 KiB text", /too long/);
      assert.equal(socket.connected, true);
    });
  });

  // Text of invisible characters only looks empty, so it is refused as empty on every way in:
  // the socket, the HTTP routes and the server actions, for a new message and for an edit.
  describe("invisible-only text", () => {
    const INVISIBLE_ONLY = ["\u200b", "\u200c\u200d", "\u200e\u200f", "\u2060\u2064", "\ufeff", "\u00ad", "\u3164", "\u115f\u1160", "\u180e", "\u202a\u202e", "\u2066\u2069", "\u2800", " \u200b\n\u200d "];
    const EMPTY = /Message cannot be empty/;

    it("is refused like empty text by socket, HTTP and server action, for sends and edits, and nothing is stored", async () => {
      const before = JSON.stringify(await listMessages(alice, conversationId));
      const refusals: { what: string; code: string; message: string }[] = [];
      const fromAck = (what: string, ack: Ack<unknown>) => refusals.push({ what, code: ack.ok ? "accepted" : ack.error.code, message: ack.ok ? "" : ack.error.message });
      const fromResponse = async (what: string, response: Response) => {
        const body = (await response.json()) as { error?: { code: string; message: string } };
        refusals.push({ what: `${what} (HTTP ${response.status})`, code: response.status === 400 ? (body.error?.code ?? "?") : `HTTP ${response.status}`, message: body.error?.message ?? "" });
      };
      for (const text of INVISIBLE_ONLY) {
        const label = JSON.stringify(text);
        fromAck(`socket message:send ${label}`, await emitAck(socket, "message:send", send(text)));
        fromAck(`socket message:edit ${label}`, await emitAck(socket, "message:edit", { messageId, text }));
        await fromResponse(`POST messages ${label}`, await alice.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text }) }));
        await fromResponse(`PATCH message ${label}`, await alice.api(`/api/messages/${messageId}`, { method: "PATCH", body: JSON.stringify({ text }) }));
        fromAck(`sendMessageAction ${label}`, await callAction(stack, alice, "sendMessageAction", [send(text)]));
        fromAck(`editMessageAction ${label}`, await callAction(stack, alice, "editMessageAction", [{ messageId, text }]));
      }
      assert.equal(refusals.length, INVISIBLE_ONLY.length * 6);
      for (const { what, code, message } of refusals) {
        assert.equal(code, "VALIDATION", what);
        assert.match(message, EMPTY, what);
      }
      assert.equal(JSON.stringify(await listMessages(alice, conversationId)), before, "an invisible-only text was stored");
    });

    it("still stores text whose invisible characters sit beside visible ones, as typed", async () => {
      for (const text of ["👩‍💻", "\u200bhi\u200b", "\u202eabc\u202c"]) {
        const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", send(text));
        assert.ok(ack.ok, JSON.stringify(ack));
        assert.equal(ack.data.message.text, text);
      }
    });
  });

  describe("robustness", () => {
    it("stores and broadcasts a valid message:send emitted without an ack callback", async () => {
      const bobSocket = await connect(stack, { token: bob.token });
      try {
        const bobSees = collect<{ message: MessageDto }>(bobSocket, "message:created");
        const payload = send("no ack wanted");
        (socket as unknown as Socket).emit("message:send", payload);
        await waitFor(() => bobSees.some((e) => e.message.clientMsgId === payload.clientMsgId), { what: "the broadcast of an ack-less send" });
        const stored = (await listMessages(alice, conversationId)).filter((m) => m.clientMsgId === payload.clientMsgId);
        assert.equal(stored.length, 1);
      } finally {
        bobSocket.disconnect();
      }
    });

    it("survives an invalid payload emitted without an ack callback", async () => {
      const countBefore = (await listMessages(alice, conversationId)).length;
      const raw = socket as unknown as Socket;
      raw.emit("message:send", { conversationId: OPERATOR, text: OPERATOR });
      raw.emit("message:send", null);
      raw.emit("sync", "nope");
      raw.emit("conversation:read");
      await sleep(200);
      assert.equal(await socketHealth(stack), 200);
      assert.equal(socket.connected, true);
      const ack = await emitAck(socket, "message:send", send("still works"));
      assert.ok(ack.ok, JSON.stringify(ack));
      assert.equal((await listMessages(alice, conversationId)).length, countBefore + 1);
    });

    // An emit whose only argument is the ack (`socket.emit("message:send", callback)`) reaches the
    // handler as its first argument; it must still be answered (VALIDATION), not left to time out.
    it("answers an event emitted with an ack but no payload", async () => {
      const raw = socket as unknown as Socket;
      const ack = await new Promise<Ack<unknown> | "timeout">((resolve) => {
        const timer = setTimeout(() => resolve("timeout"), 2_000);
        raw.emit("message:send", (response: Ack<unknown>) => {
          clearTimeout(timer);
          resolve(response);
        });
      });
      assert.notEqual(ack, "timeout", "no ack within 2 s");
      if (ack !== "timeout") assertValidationAck(ack, "message:send without a payload");
    });

    it("ignores an unknown event name without crashing or dropping the socket", async () => {
      const raw = socket as unknown as Socket;
      raw.emit("admin:drop-database", { everything: true });
      raw.emit("constructor", {});
      raw.emit("__proto__", {});
      raw.emit("hasOwnProperty", {});
      await sleep(200);
      assert.equal(await socketHealth(stack), 200);
      assert.equal(socket.connected, true);
      const ack = await emitAck(socket, "sync", { conversationId, sinceVersion: 0 });
      assert.ok(ack.ok, JSON.stringify(ack).slice(0, 200));
    });

    it("answers an unknown event that asks for an answer with NOT_FOUND, and one without a payload too", async () => {
      const raw = socket as unknown as Socket;
      for (const event of ["admin:drop-database", "constructor", "__proto__", "toString"]) {
        const withPayload = (await raw.timeout(5_000).emitWithAck(event, { everything: true })) as Ack<unknown>;
        assert.equal(withPayload.ok, false, `${event}: ${JSON.stringify(withPayload)}`);
        if (!withPayload.ok) assert.equal(withPayload.error.code, "NOT_FOUND", event);
        const bare = (await raw.timeout(5_000).emitWithAck(event)) as Ack<unknown>;
        assert.equal(bare.ok, false, `${event} without a payload: ${JSON.stringify(bare)}`);
      }
      assert.equal(socket.connected, true);
    });

    for (const transport of ["websocket", "polling"]) {
      it(`disconnects a ${transport} client that sends more than 64 KiB, and stays up for everyone else`, async () => {
        const countBefore = (await listMessages(alice, conversationId)).length;
        const big = await connect(stack, { token: alice.token, transports: [transport] });
        const reason = disconnectWithin(big, 3_000);
        big.emit("message:send", { conversationId, clientMsgId: randomUUID(), text: "o".repeat(70 * 1024) }, () => undefined);
        try {
          const why = await reason;
          assert.ok(why !== null, "the oversized client was not disconnected");
          assert.match(why, /transport (close|error)/);
        } finally {
          big.disconnect();
        }
        assert.equal(await socketHealth(stack), 200);
        assert.equal(socket.connected, true, "another client's socket was dropped");
        const ack = await emitAck(socket, "message:send", send("after the big one"));
        assert.ok(ack.ok);
        assert.equal((await listMessages(alice, conversationId)).length, countBefore + 1);
        const fresh = await connect(stack, { token: alice.token, transports: [transport] });
        fresh.disconnect();
      });
    }
  });

  describe("HTTP", () => {
    const register = (body: unknown, raw = false) =>
      fetch(`${stack.webUrl}/api/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: raw ? (body as string) : JSON.stringify(body),
      });
    const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

    it("refuses a short password, a bad email, a missing name and malformed JSON at sign-up with 400", async () => {
      const refusals: [unknown, RegExp][] = [
        [{ name: "Shorty", email: "shorty@example.test", password: "1234567" }, /password.*at least 8/i],
        [{ name: "Bad Mail", email: "not-an-email", password: "long-enough-1" }, /email/i],
        [{ name: "Bad Mail", email: { $gt: "" }, password: "long-enough-1" }, /email/i],
        [{ email: "noname@example.test", password: "long-enough-1" }, /name/i],
      ];
      for (const [body, message] of refusals) {
        const response = await register(body);
        assert.equal(response.status, 400, JSON.stringify(body));
        const error = await errorOf(response);
        assert.equal(error.code, "VALIDATION");
        assert.match(error.message, message);
      }
      const malformed = await register("{not json", true);
      assert.equal(malformed.status, 400);
      assert.equal((await errorOf(malformed)).code, "VALIDATION");
    });

    it("refuses a duplicate email with 409, whatever its case", async () => {
      for (const email of [alice.email, alice.email.toUpperCase(), `  ${alice.email}  `]) {
        const response = await register({ name: "Copycat", email, password: "long-enough-1" });
        assert.equal(response.status, 409, email);
        const error = await errorOf(response);
        assert.equal(error.code, "CONFLICT");
        assert.match(error.message, /already exists/);
      }
    });

    it("answers malformed and invalid message bodies with 400 VALIDATION and stores nothing", async () => {
      const countBefore = (await listMessages(alice, conversationId)).length;
      const post = (body: string) => alice.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body });
      const bodies: [string, RegExp][] = [
        ["{not json", /valid JSON/],
        ["", /valid JSON/],
        ['"just a string"', /object/],
        ["null", /object/],
        [JSON.stringify({ clientMsgId: randomUUID(), text: "   " }), /empty/],
        [JSON.stringify({ clientMsgId: randomUUID(), text: "x".repeat(4001) }), /too long/],
        [JSON.stringify({ clientMsgId: randomUUID(), text: OPERATOR }), /text/],
        [JSON.stringify({ clientMsgId: OPERATOR, text: "hi" }), /clientMsgId/],
        [JSON.stringify({ text: "hi" }), /clientMsgId/],
      ];
      for (const [body, message] of bodies) {
        const response = await post(body);
        assert.equal(response.status, 400, body.slice(0, 60));
        const error = await errorOf(response);
        assert.equal(error.code, "VALIDATION");
        assert.match(error.message, message, body.slice(0, 60));
      }
      assert.equal((await listMessages(alice, conversationId)).length, countBefore);
    });

    it("answers bad ids and query parameters with 400 VALIDATION", async () => {
      const paths = [
        `/api/conversations/${NON_HEX_ID}/messages`,
        `/api/conversations/${conversationId}/messages?limit=abc`,
        `/api/conversations/${conversationId}/messages?limit=0`,
        `/api/conversations/${conversationId}/messages?limit=101`,
        `/api/conversations/${conversationId}/messages?before=-1`,
        `/api/conversations/${conversationId}/messages?after=-1`,
        `/api/conversations/${conversationId}/messages?after=abc`,
        `/api/conversations/${conversationId}/messages?around=0`,
        `/api/conversations/${conversationId}/messages?around=1e3`,
        `/api/conversations/${conversationId}/messages?before=5&after=2`,
        `/api/conversations/${conversationId}/messages?after=1&around=3`,
        `/api/conversations/${conversationId}/sync?since=abc`,
        `/api/conversations/${conversationId}/sync?since=-1`,
      ];
      for (const path of paths) {
        const response = await alice.api(path);
        assert.equal(response.status, 400, path);
        assert.equal((await errorOf(response)).code, "VALIDATION", path);
      }
    });
  });
});
