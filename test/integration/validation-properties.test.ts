// Property-based hostile input: for every client→server event, 1,000 generated payloads, each a
// valid payload with fields replaced, removed or added by arbitrary values (fast-check). The
// server's answer must follow the schema the event is documented by: a payload the schema
// refuses gets VALIDATION; one it accepts gets ok (or NOT_FOUND when it names a conversation the
// user is not in). Nothing else: no INTERNAL, no dropped socket, no write beyond the accepted.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { ZodType } from "zod";
import { CLIENT_EVENTS } from "../../lib/realtime/events";
import type { MessageDto } from "../../lib/schemas/dto";
import { typingSchema, visibilitySchema } from "../../lib/schemas/conversation";
import { roomRefSchema } from "../../lib/schemas/room";
import {
  deleteMessageSchema,
  editMessageSchema,
  markDeliveredSchema,
  markReadSchema,
  pinMessageSchema,
  reactSchema,
  sendMessageSchema,
  syncSchema,
} from "../../lib/schemas/message";
import {
  callAnswerSchema,
  callConnectedSchema,
  callHangupSchema,
  callInviteSchema,
  callRejectSchema,
  callResumeSchema,
  callSignalSchema,
} from "../../lib/schemas/call";
import { seededRandom } from "../support/seeded";
import { searchSchema } from "../../lib/schemas/search";
import { startStack, type Stack } from "../support/stack";
import { connect, createUser, emitAck, openDirect, type TestSocket, type TestUser } from "../support/users";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1_000);

type EventName = (typeof CLIENT_EVENTS)[number];

describe("payload properties (fast-check)", { timeout: 600_000 }, () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let conversationId: string;
  let socket: TestSocket;
  let messageId: string;
  const nowhere = "0123456789abcdef01234567";

  before(async () => {
    stack = await startStack({ web: true });
    [alice, bob] = await Promise.all([createUser(stack, "Alice Props"), createUser(stack, "Bob Props")]);
    conversationId = await openDirect(alice, bob);
    socket = await connect(stack, { token: alice.token });
    const first = await emitAck<{ message: MessageDto }>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text: "first" });
    assert.ok(first.ok);
    messageId = first.data.message.id;
  });

  after(async () => {
    socket?.disconnect();
    await stack?.stop();
  });

  /** Every stored message of the conversation, paged through history. */
  const storedCount = async () => {
    let count = 0;
    let before: number | undefined;
    for (;;) {
      const response = await alice.api(`/api/conversations/${conversationId}/messages?limit=100${before ? `&before=${before}` : ""}`);
      const page = (await response.json()) as { messages: MessageDto[]; hasMore: boolean };
      count += page.messages.length;
      if (!page.hasMore || page.messages.length === 0) return count;
      before = page.messages[0]!.seq;
    }
  };

  const contract: Record<EventName, { schema: ZodType; valid: () => Record<string, unknown> }> = {
    "message:send": { schema: sendMessageSchema, valid: () => ({ conversationId, clientMsgId: randomUUID(), text: "property" }) },
    sync: { schema: syncSchema, valid: () => ({ conversationId, sinceVersion: 0 }) },
    search: { schema: searchSchema, valid: () => ({ q: "property", conversationId }) },
    "conversation:read": { schema: markReadSchema, valid: () => ({ conversationId, seq: 1 }) },
    "conversation:delivered": { schema: markDeliveredSchema, valid: () => ({ conversationId, seq: 1 }) },
    // Alice's own message, in the edit window: every accepted change is allowed. Deleting is
    // only ever for herself here (a mutation to "everyone" would end the edits that follow).
    "message:edit": { schema: editMessageSchema, valid: () => ({ messageId, text: "property" }) },
    "message:delete": { schema: deleteMessageSchema, valid: () => ({ messageId, for: "me" }) },
    "message:react": { schema: reactSchema, valid: () => ({ messageId, emoji: "👍" }) },
    "message:pin": { schema: pinMessageSchema, valid: () => ({ messageId, pinned: true }) },
    typing: { schema: typingSchema, valid: () => ({ conversationId, typing: true }) },
    visibility: { schema: visibilitySchema, valid: () => ({ visible: false }) },
    // Calls that do not exist, and a conversation that does not: a valid shape is NOT_FOUND, and no
    // generated payload can ring anyone (a live call would end later as an entry and skew the counts).
    "call:invite": { schema: callInviteSchema, valid: () => ({ conversationId: nowhere, callId: randomUUID(), media: "audio" }) },
    "call:answer": { schema: callAnswerSchema, valid: () => ({ callId: randomUUID(), media: "video" }) },
    "call:reject": { schema: callRejectSchema, valid: () => ({ callId: randomUUID() }) },
    "call:hangup": { schema: callHangupSchema, valid: () => ({ callId: randomUUID(), partyId: "A".repeat(24), failed: "ice" }) },
    "call:resume": { schema: callResumeSchema, valid: () => ({ callId: randomUUID(), partyId: "A".repeat(24) }) },
    "call:connected": { schema: callConnectedSchema, valid: () => ({ callId: randomUUID(), partyId: "A".repeat(24) }) },
    "call:signal": { schema: callSignalSchema, valid: () => ({ callId: randomUUID(), partyId: "A".repeat(24), signal: { candidate: null } }) },
    // The direct conversation is not a room: a valid shape is NOT_FOUND, as for a room one is not in.
    "room:join": { schema: roomRefSchema, valid: () => ({ conversationId }) },
    "room:leave": { schema: roomRefSchema, valid: () => ({ conversationId }) },
  };

  /** Hostile values: anything JSON can carry, plus strings that look almost right. */
  const hostileValue = fc.oneof(
    fc.anything({ maxDepth: 2, withNullPrototype: false }),
    fc.string({ unit: "grapheme", maxLength: 50 }),
    fc.constantFrom("", " ", "\u202e", "\u200b", "\ud800", "😀".repeat(10), "a".repeat(4001), "0".repeat(24), "f".repeat(24), "$gt", "__proto__"),
    fc.record({ $gt: fc.string() }),
    fc.integer(),
    fc.double(),
  );

  /** A valid payload, then 1–3 edits: replace a field, delete it, or add an unknown one. */
  function payloads(valid: () => Record<string, unknown>) {
    const keys = Object.keys(valid());
    const edit = fc.oneof(
      fc.record({ kind: fc.constant("replace" as const), key: fc.constantFrom(...keys), value: hostileValue }),
      fc.record({ kind: fc.constant("delete" as const), key: fc.constantFrom(...keys) }),
      fc.record({ kind: fc.constant("add" as const), key: fc.constantFrom("extra", "__proto__", "constructor", "$where", "seq", "text", "typing"), value: hostileValue }),
    );
    return fc.oneof(
      { weight: 9, arbitrary: fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
        const payload: Record<string, unknown> = valid();
        for (const e of edits) {
          if (e.kind === "delete") delete payload[e.key];
          else Object.defineProperty(payload, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
        }
        return payload as unknown;
      }) },
      { weight: 1, arbitrary: hostileValue },
    );
  }

  for (const event of CLIENT_EVENTS) {
    it(`${event}: ${RUNS} generated payloads are answered exactly as its schema says`, async () => {
      const { seed } = seededRandom(`properties ${event}`);
      const { schema, valid } = contract[event];
      const before = await storedCount();
      const tally = { validation: 0, ok: 0, notFound: 0 };
      let acceptedSends = 0;
      await fc.assert(
        fc.asyncProperty(payloads(valid), async (payload) => {
          // What the server receives is the JSON of the payload.
          const wire = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
          const accepted = schema.safeParse(wire).success;
          const ack = await emitAck(socket, event, wire);
          if (!accepted) {
            assert.equal(ack.ok, false, `accepted a payload its schema refuses: ${JSON.stringify(wire).slice(0, 200)}`);
            if (!ack.ok) assert.equal(ack.error.code, "VALIDATION", JSON.stringify(ack.error));
            tally.validation += 1;
            return;
          }
          if (ack.ok) {
            tally.ok += 1;
            if (event === "message:send") acceptedSends += 1;
          } else {
            // A valid shape naming some other conversation: not found, never anything else.
            assert.equal(ack.error.code, "NOT_FOUND", `${JSON.stringify(wire).slice(0, 200)}: ${JSON.stringify(ack.error)}`);
            tally.notFound += 1;
          }
        }),
        { numRuns: RUNS, seed },
      );
      assert.equal(socket.connected, true, "the socket was dropped");
      const health = await fetch(`${stack.socketUrl}/health`);
      assert.equal(health.status, 200);
      // Only the sends the server acknowledged were written (repeats of a clientMsgId answer the stored one).
      assert.ok((await storedCount()) - before <= acceptedSends, "more messages stored than sends accepted");
      console.log(`[properties] ${event}: ${RUNS} payloads, ${tally.validation} VALIDATION, ${tally.ok} ok, ${tally.notFound} NOT_FOUND`);
    });
  }
});
