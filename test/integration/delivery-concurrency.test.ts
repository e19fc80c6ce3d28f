// Issue 3, "Delivery people can trust": many people writing into one conversation at once get
// one total order. 20 members of a group each send 50 messages, one after the other, all 20 at
// the same time; the conversation ends with seqs exactly 1..1000 and nothing lost or doubled.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ConversationDto, MessageDto } from "../../lib/schemas/dto";
import { assertStoredMatches, inBatches, perSecond, range, readWholeHistory, seconds, sendOverSocket, tallyErrors, type SendOutcome } from "../support/delivery";
import { seededRandom } from "../support/seeded";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

type Created = { message: MessageDto };

const SENDERS = 20;
const PER_SENDER = 50;
const TOTAL = SENDERS * PER_SENDER;

describe("delivery proofs: concurrent senders", () => {
  let stack: Stack;
  let users: TestUser[];
  const sockets: TestSocket[] = [];

  before(async () => {
    stack = await startStack();
    // Sign-ups hash passwords on the web app's two cores: a few at a time.
    users = await inBatches(range(1, SENDERS).map((n) => () => createUser(stack, `Sender ${String(n).padStart(2, "0")}`)), 5);
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
  });

  it(`orders ${TOTAL} messages from ${SENDERS} concurrent senders as seqs 1..${TOTAL}`, { timeout: 240_000 }, async () => {
    const random = seededRandom("concurrency");
    const [owner, ...others] = users as [TestUser, ...TestUser[]];
    const response = await owner.api("/api/conversations", {
      method: "POST",
      body: JSON.stringify({ kind: "group", name: "Twenty at once", memberIds: others.map((u) => u.id) }),
    });
    assert.equal(response.status, 201);
    const conversationId = ((await response.json()) as { conversation: ConversationDto }).conversation.id;
    // Connected after the group exists, so each socket joins its room at the handshake.
    for (const user of users) sockets.push(await connect(stack, { token: user.token }));
    const heard = sockets.map((socket) => collect<Created>(socket, "message:created"));

    const clientMsgIds = users.map(() => range(1, PER_SENDER).map(() => random.uuid()));
    // A seeded pause before some sends, so the senders do not march in lockstep.
    const pauses = users.map(() => range(1, PER_SENDER).map(() => (random.next() < 0.3 ? random.int(20) : 0)));
    const latencies: number[] = [];

    const started = Date.now();
    const acks: SendOutcome[][] = await Promise.all(
      users.map(async (_, s) => {
        const mine: SendOutcome[] = [];
        for (let i = 0; i < PER_SENDER; i += 1) {
          if (pauses[s]![i]) await sleep(pauses[s]![i]!);
          const sentAt = Date.now();
          mine.push(await sendOverSocket(sockets[s]!, { conversationId, clientMsgId: clientMsgIds[s]![i]!, text: `sender ${s} message ${i}` }));
          latencies.push(Date.now() - sentAt);
        }
        return mine;
      }),
    );
    const sendMs = Date.now() - started;

    const outcomes = acks.flat();
    const errors = tallyErrors(outcomes);
    const { messages: stored, pages } = await readWholeHistory(owner, conversationId);
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    console.log(
      `[concurrency] seed=${random.seed} senders=${SENDERS} perSender=${PER_SENDER} acked=${outcomes.filter((o) => o.ok).length} stored=${stored.length} ` +
        `errors=${JSON.stringify(errors)} duration=${seconds(sendMs)}s throughput=${perSecond(TOTAL, sendMs)} msg/s ` +
        `ackLatency p50=${percentile(50)}ms p95=${percentile(95)}ms max=${latencies.at(-1)}ms historyPages=${pages}`,
    );

    assert.deepEqual(errors, {}, "every send was acknowledged with ok");
    assert.equal(stored.length, TOTAL, "stored messages");
    assert.deepEqual(stored.map((m) => m.seq), range(1, TOTAL), "seqs are exactly 1..1000");
    assert.equal(new Set(stored.map((m) => m.version)).size, TOTAL, "versions are unique");
    assert.deepEqual(stored.map((m) => m.clientMsgId).sort(), clientMsgIds.flat().sort(), "one stored message per send");

    const answered = new Map<string, MessageDto>();
    acks.forEach((mine, s) => {
      const messages = mine.map((ack) => (ack.ok ? ack.message : assert.fail(ack.error)));
      assert.deepEqual(messages.map((m) => m.clientMsgId), clientMsgIds[s], `sender ${s}: acks answer the sends in order`);
      assert.ok(messages.every((m) => m.senderId === users[s]!.id), `sender ${s}: acks carry the sender`);
      for (let i = 1; i < messages.length; i += 1) {
        assert.ok(messages[i]!.seq > messages[i - 1]!.seq, `sender ${s}: message ${i} has seq ${messages[i]!.seq} after ${messages[i - 1]!.seq}`);
      }
      for (const message of messages) answered.set(message.clientMsgId, message);
    });
    // Every ack carries the stored message itself (so its seq is the stored seq), and nothing is stored unacknowledged.
    assert.equal(answered.size, TOTAL);
    assertStoredMatches(stored, answered);

    // Every member's socket heard every message once: 20 × 1,000 events.
    const everyone = () => heard.every((events) => events.length >= TOTAL);
    await waitFor(everyone, { timeoutMs: 15_000, what: "every member to hear every message" });
    await sleep(500);
    heard.forEach((events, s) => {
      assert.equal(events.length, TOTAL, `member ${s} heard ${events.length} message:created events`);
      assert.equal(new Set(events.map((e) => e.message.id)).size, TOTAL, `member ${s} heard a message twice`);
    });
  });
});
