// The zod schemas every transport shares: what they accept, what they turn it into, and what they refuse.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { queryNumber } from "../../lib/http";
import { clientMsgIdSchema, idSchema, seqSchema } from "../../lib/schemas/common";
import { createConversationSchema, groupNameSchema } from "../../lib/schemas/conversation";
import {
  editMessageSchema,
  historySchema,
  markDeliveredSchema,
  markReadSchema,
  MESSAGE_MAX,
  messageTextSchema,
  sendMessageSchema,
  syncSchema,
} from "../../lib/schemas/message";
import { isBlankText } from "../../lib/schemas/text";
import { emailSchema, registerSchema, signInSchema, userSearchSchema } from "../../lib/schemas/user";

const ID = "65f0a1b2c3d4e5f6a7b8c9d0";
const OTHER_ID = "65f0a1b2c3d4e5f6a7b8c9d1";

/** The first issue's message, or null when the value is accepted. */
function problem(schema: { safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown) {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error?.issues[0]?.message ?? "?");
}

describe("idSchema", () => {
  it("accepts a 24-character lower-case hex id", () => {
    assert.equal(idSchema.parse(ID), ID);
  });

  it("refuses other shapes", () => {
    for (const bad of [ID.toUpperCase(), ID.slice(1), `${ID}0`, "zzzzzzzzzzzzzzzzzzzzzzzz", "", ` ${ID.slice(1)}`, 42, null, { $gt: "" }, [ID]]) {
      assert.notEqual(problem(idSchema, bad), null, JSON.stringify(bad));
    }
    assert.equal(problem(idSchema, "g".repeat(24)), "must be a 24-character hex id");
  });
});

describe("clientMsgIdSchema and seqSchema", () => {
  it("accepts a UUID and refuses anything else", () => {
    assert.equal(problem(clientMsgIdSchema, randomUUID()), null);
    for (const bad of ["not-a-uuid", "", "12345678-1234-1234-1234-1234567890", 7, { $ne: null }]) {
      assert.equal(problem(clientMsgIdSchema, bad), "must be a UUID", JSON.stringify(bad));
    }
  });

  it("accepts non-negative integer seqs only", () => {
    for (const good of [0, 1, Number.MAX_SAFE_INTEGER]) assert.equal(problem(seqSchema, good), null);
    for (const bad of [-1, 1.5, "1", null, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.notEqual(problem(seqSchema, bad), null, String(bad));
    }
  });
});

// Characters that show nothing alone, one of each kind the blank test covers (lib/schemas/text.ts).
const INVISIBLE: [string, string][] = [
  ["zero-width space", "\u200b"],
  ["zero-width non-joiner", "\u200c"],
  ["zero-width joiner", "\u200d"],
  ["left-to-right mark", "\u200e"],
  ["right-to-left mark", "\u200f"],
  ["right-to-left override", "\u202e"],
  ["pop directional formatting", "\u202c"],
  ["first strong isolate", "\u2068"],
  ["word joiner", "\u2060"],
  ["invisible plus", "\u2064"],
  ["byte order mark", "\ufeff"],
  ["soft hyphen", "\u00ad"],
  ["combining grapheme joiner", "\u034f"],
  ["Hangul filler", "\u3164"],
  ["Hangul choseong filler", "\u115f"],
  ["Hangul jungseong filler", "\u1160"],
  ["halfwidth Hangul filler", "\uffa0"],
  ["Mongolian vowel separator", "\u180e"],
  ["variation selector 16", "\ufe0f"],
  ["tag space", "\u{e0020}"],
  ["interlinear annotation anchor", "\ufff9"],
  ["Braille pattern blank", "\u2800"],
  ["no-break space", "\u00a0"],
  ["ideographic space", "\u3000"],
];

describe("isBlankText", () => {
  it("is true for empty text, whitespace and every kind of invisible character, alone or mixed", () => {
    assert.equal(isBlankText(""), true);
    for (const [what, char] of INVISIBLE) assert.equal(isBlankText(char), true, what);
    assert.equal(isBlankText(INVISIBLE.map(([, char]) => char).join(" \n")), true);
  });

  it("is false as soon as one character shows", () => {
    for (const text of ["a", "\u200ba\u200b", "👩‍💻", "🏳️‍🌈", "\u05e9\u05dc\u05d5\u05dd\u200f", "\u06dd", "\u0600", ".", "\u0301"]) {
      assert.equal(isBlankText(text), false, JSON.stringify(text));
    }
  });

  it("is false for any text with a visible character among invisible ones (property)", () => {
    const invisible = fc.constantFrom(...INVISIBLE.map(([, char]) => char), " ", "\t", "\n");
    const visible = fc.constantFrom("a", "Z", "7", "é", "ש", "中", "👍", "👩‍💻", "۝", "-");
    fc.assert(
      fc.property(fc.array(invisible, { maxLength: 20 }), visible, fc.array(invisible, { maxLength: 20 }), (before, shown, after) => {
        assert.equal(isBlankText([...before, ...after].join("")), true);
        assert.equal(isBlankText([...before, shown, ...after].join("")), false);
      }),
    );
  });
});

describe("messageTextSchema", () => {
  it("trims surrounding whitespace and keeps inner whitespace", () => {
    assert.equal(messageTextSchema.parse("  hello \n world\t "), "hello \n world");
  });

  it("refuses empty and whitespace-only text", () => {
    for (const bad of ["", "   ", "\n\t \r\n"]) assert.equal(problem(messageTextSchema, bad), "Message cannot be empty");
  });

  it("refuses text of invisible characters only, with the same error as empty text", () => {
    for (const [what, char] of INVISIBLE) assert.equal(problem(messageTextSchema, char), "Message cannot be empty", what);
    assert.equal(problem(messageTextSchema, " \u200b\u200d\u2060\ufeff "), "Message cannot be empty");
    assert.equal(problem(editMessageSchema, { messageId: ID, text: "\u200b" }), "Message cannot be empty");
  });

  it("keeps invisible characters inside text that shows something, exactly as typed", () => {
    for (const text of ["👩‍💻", "a\u200bb", "\u202eabc\u202c", "co\u00adop", "\u06dd"]) assert.equal(messageTextSchema.parse(text), text);
  });

  it("accepts 1 to 4000 characters, counted after trimming", () => {
    assert.equal(MESSAGE_MAX, 4000);
    assert.equal(messageTextSchema.parse("x"), "x");
    assert.equal(messageTextSchema.parse("x".repeat(4000)).length, 4000);
    assert.equal(messageTextSchema.parse(`   ${"x".repeat(4000)}   `).length, 4000);
    assert.equal(problem(messageTextSchema, "x".repeat(4001)), "Message is too long (at most 4000 characters)");
  });

  it("refuses non-strings", () => {
    for (const bad of [42, null, undefined, ["hi"], { $gt: "" }]) assert.notEqual(problem(messageTextSchema, bad), null);
  });
});

describe("sendMessageSchema", () => {
  const valid = { conversationId: ID, clientMsgId: randomUUID(), text: "  hi  " };

  it("parses a valid payload, trimming the text and dropping unknown keys", () => {
    const parsed = sendMessageSchema.parse({ ...valid, $where: "sleep(1000)", senderId: OTHER_ID, seq: 99 });
    assert.deepEqual(parsed, { conversationId: ID, clientMsgId: valid.clientMsgId, text: "hi" });
  });

  it("accepts an optional replyTo id and refuses a malformed one", () => {
    assert.equal(sendMessageSchema.parse({ ...valid, replyTo: OTHER_ID }).replyTo, OTHER_ID);
    assert.notEqual(problem(sendMessageSchema, { ...valid, replyTo: "nope" }), null);
  });

  it("does not read fields from a __proto__ key", () => {
    const smuggled = JSON.parse(`{"conversationId":"${ID}","clientMsgId":"${valid.clientMsgId}","__proto__":{"text":"hi"}}`);
    const result = sendMessageSchema.safeParse(smuggled);
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ["text"]);
  });

  it("names the failing field in the issue path", () => {
    const result = sendMessageSchema.safeParse({ ...valid, conversationId: { $gt: "" } });
    assert.deepEqual(result.error?.issues[0]?.path, ["conversationId"]);
  });
});

describe("history, sync and read schemas", () => {
  it("takes numbers (not strings) for history paging and applies the default page size", () => {
    assert.deepEqual(historySchema.parse({ conversationId: ID }), { conversationId: ID, limit: 50 });
    assert.deepEqual(historySchema.parse({ conversationId: ID, before: 120, limit: 25 }), { conversationId: ID, before: 120, limit: 25 });
    for (const bad of [{ limit: 0 }, { limit: 101 }, { limit: "25" }, { before: 0 }, { before: -3 }, { before: 1.5 }, { before: "120" }, { before: Number.NaN }]) {
      assert.notEqual(problem(historySchema, { conversationId: ID, ...bad }), null, JSON.stringify(bad));
    }
  });

  it("pages newer from `after` (0 is the start) or a window `around` a seq, one of before/after/around at a time", () => {
    assert.deepEqual(historySchema.parse({ conversationId: ID, after: 0 }), { conversationId: ID, after: 0, limit: 50 });
    assert.deepEqual(historySchema.parse({ conversationId: ID, around: 7, limit: 9 }), { conversationId: ID, around: 7, limit: 9 });
    const bads = [{ after: -1 }, { after: "3" }, { after: 2.5 }, { around: 0 }, { around: "7" }, { around: { $gt: 1 } }, { before: 5, after: 2 }, { after: 2, around: 4 }, { before: 9, around: 4 }];
    for (const bad of bads) assert.notEqual(problem(historySchema, { conversationId: ID, ...bad }), null, JSON.stringify(bad));
  });

  it("takes a non-negative integer sinceVersion and refuses anything coercible to one", () => {
    assert.deepEqual(syncSchema.parse({ conversationId: ID, sinceVersion: 7 }), { conversationId: ID, sinceVersion: 7 });
    for (const bad of [-1, "7", "abc", 1.5, true, null, [3], { $gt: 0 }]) {
      assert.notEqual(problem(syncSchema, { conversationId: ID, sinceVersion: bad }), null, JSON.stringify(bad));
    }
  });

  it("turns HTTP query strings into numbers only when they are plain decimals", () => {
    const search = new URLSearchParams("before=120&limit=%2025%20&empty=&word=abc&neg=-3&frac=1.5");
    assert.equal(queryNumber(search, "before"), 120);
    assert.equal(queryNumber(search, "limit"), 25);
    assert.equal(queryNumber(search, "missing"), undefined);
    for (const name of ["empty", "word", "neg", "frac"]) assert.ok(Number.isNaN(queryNumber(search, name)), name);
  });

  it("requires an integer seq to mark as read or delivered", () => {
    for (const schema of [markReadSchema, markDeliveredSchema]) {
      assert.deepEqual(schema.parse({ conversationId: ID, seq: 3 }), { conversationId: ID, seq: 3 });
      for (const bad of ["3", -1, 2.5, undefined]) assert.notEqual(problem(schema, { conversationId: ID, seq: bad }), null);
      assert.notEqual(problem(schema, { conversationId: "nope", seq: 3 }), null);
    }
  });
});

describe("user schemas", () => {
  it("trims and lower-cases emails", () => {
    assert.equal(emailSchema.parse("  Alice.Smith@Example.COM "), "alice.smith@example.com");
  });

  it("refuses malformed and overlong emails", () => {
    for (const bad of ["alice", "alice@", "@example.com", "a b@example.com", "", `${"a".repeat(250)}@example.com`, { $gt: "" }]) {
      assert.notEqual(problem(emailSchema, bad), null, JSON.stringify(bad));
    }
    assert.equal(problem(emailSchema, "not-an-email"), "Enter a valid email address");
  });

  it("validates registration: trimmed name, lower-cased email, 8 to 256 character password kept as typed", () => {
    const parsed = registerSchema.parse({ name: "  Ada  ", email: "ADA@example.com", password: " secret 1 " });
    assert.deepEqual(parsed, { name: "Ada", email: "ada@example.com", password: " secret 1 " });
    assert.equal(problem(registerSchema, { name: "Ada", email: "ada@example.com", password: "1234567" }), "Password must be at least 8 characters");
    assert.equal(problem(registerSchema, { name: "Ada", email: "ada@example.com", password: "x".repeat(257) }), "Password must be at most 256 characters");
    assert.equal(problem(registerSchema, { name: "   ", email: "ada@example.com", password: "12345678" }), "Enter your name");
    assert.equal(problem(registerSchema, { name: "\u3164", email: "ada@example.com", password: "12345678" }), "Enter your name");
    assert.equal(problem(registerSchema, { name: "\u200b\u200e", email: "ada@example.com", password: "12345678" }), "Enter your name");
    assert.notEqual(problem(registerSchema, { name: "x".repeat(81), email: "ada@example.com", password: "12345678" }), null);
  });

  it("lower-cases the sign-in email too, so sign-in matches sign-up", () => {
    assert.equal(signInSchema.parse({ email: "ADA@Example.com", password: "x" }).email, "ada@example.com");
  });

  it("requires a non-empty search", () => {
    assert.equal(userSearchSchema.parse({ q: "  ada " }).q, "ada");
    assert.equal(problem(userSearchSchema, { q: "   " }), "Type a name or email");
  });
});

describe("createConversationSchema", () => {
  it("accepts a direct conversation with a user id", () => {
    assert.deepEqual(createConversationSchema.parse({ kind: "direct", userId: ID }), { kind: "direct", userId: ID });
    assert.notEqual(problem(createConversationSchema, { kind: "direct", userId: "me" }), null);
  });

  it("requires a trimmed name and at least two other members for a group", () => {
    const parsed = createConversationSchema.parse({ kind: "group", name: "  Team ", memberIds: [ID, OTHER_ID] });
    assert.deepEqual(parsed, { kind: "group", name: "Team", memberIds: [ID, OTHER_ID] });
    assert.equal(problem(createConversationSchema, { kind: "group", name: "Team", memberIds: [ID] }), "Pick at least two other people for a group");
    assert.equal(problem(groupNameSchema, "  "), "Enter a group name");
    assert.equal(problem(groupNameSchema, "\u200b\u2800"), "Enter a group name");
    assert.equal(groupNameSchema.parse("Team 👩‍💻"), "Team 👩‍💻");
    assert.notEqual(problem(groupNameSchema, "g".repeat(101)), null);
  });

  it("refuses an unknown kind", () => {
    assert.notEqual(problem(createConversationSchema, { kind: "channel", name: "x" }), null);
  });
});
