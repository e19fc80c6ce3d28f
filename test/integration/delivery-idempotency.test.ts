// Issue 3, "Delivery people can trust": a message sent over several paths at once, or retried
// many times, is stored exactly once, and every answer names that one stored message.
// The socket and the web app are two processes, so these sends race across processes,
// where only the unique indexes (not the in-process queue) keep a message single.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { MessageDto } from "../../lib/schemas/dto";
import {
  assertStoredMatches,
  inBatches,
  perSecond,
  range,
  readWholeHistory,
  seconds,
  send,
  tallyErrors,
  type SendOutcome,
  type SendPath,
} from "../support/delivery";
import { seededRandom } from "../support/seeded";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, openDirect, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

type Created = { message: MessageDto };

describe("delivery proofs: idempotency across paths", () => {
  let stack: Stack;
  let alice: TestUser;
  const sockets: TestSocket[] = [];

  before(async () => {
    stack = await startStack();
    alice = await createUser(stack, "Alice Proofs");
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
  });

  /** A fresh direct conversation from Alice to a new user whose socket records every message:created. */
  async function freshConversation(name: string) {
    const recipient = await createUser(stack, name);
    const conversationId = await openDirect(alice, recipient);
    const recipientSocket = await connect(stack, { token: recipient.token });
    sockets.push(recipientSocket);
    const heard = collect<Created>(recipientSocket, "message:created");
    return { recipient, conversationId, heard };
  }

  async function aliceSocket(): Promise<TestSocket> {
    const socket = await connect(stack, { token: alice.token });
    sockets.push(socket);
    return socket;
  }

  /**
   * The recipient heard every message, each time as the stored message (a repeat is announced
   * again, in case its first store was cut off before its broadcast). Waits for the announcements.
   */
  async function assertHeardAll(heard: Created[], stored: MessageDto[], conversationId: string): Promise<number> {
    const ours = () => heard.filter((event) => event.message.conversationId === conversationId);
    const distinct = () => new Set(ours().map((event) => event.message.clientMsgId)).size;
    await waitFor(() => distinct() >= stored.length, { timeoutMs: 10_000, what: `${stored.length} announced messages` });
    await sleep(500);
    const events = ours();
    assert.equal(distinct(), stored.length, "announced messages");
    const byClientMsgId = new Map(stored.map((message) => [message.clientMsgId, message]));
    for (const event of events) assert.deepEqual(event.message, byClientMsgId.get(event.message.clientMsgId), "an announcement differs from the stored message");
    assertStoredMatches(stored, new Map(events.map((event) => [event.message.clientMsgId, event.message])));
    return events.length;
  }

  function assertStoredExactly(stored: MessageDto[], count: number, clientMsgIds: string[]): void {
    assert.equal(stored.length, count, "stored messages");
    assert.deepEqual(stored.map((m) => m.seq), range(1, count), "seqs are exactly 1..n in history order");
    assert.equal(new Set(stored.map((m) => m.version)).size, count, "versions are unique");
    assert.deepEqual(stored.map((m) => m.clientMsgId).sort(), [...clientMsgIds].sort(), "one stored message per clientMsgId");
  }

  it("stores 100 messages once each when every one goes over the socket and HTTP at the same moment", { timeout: 180_000 }, async () => {
    const random = seededRandom("dual-path");
    const { conversationId, heard } = await freshConversation("Bob Dual Path");
    const socket = await aliceSocket();
    const count = 100;
    const pairsInFlight = 4;
    const clientMsgIds = range(1, count).map(() => random.uuid());

    const started = Date.now();
    const pairs = await inBatches(
      clientMsgIds.map((clientMsgId, i) => () => {
        const request = { conversationId, clientMsgId, text: `dual ${i}` };
        // Both requests leave in the same tick; which one is issued first is the seed's choice.
        const order: SendPath[] = random.next() < 0.5 ? ["socket", "http"] : ["http", "socket"];
        const [first, second] = order.map((path) => send(path, { user: alice, socket }, request));
        return Promise.all([first!, second!]).then((outcomes) => (order[0] === "socket" ? outcomes : [outcomes[1]!, outcomes[0]!]));
      }),
      pairsInFlight,
    );
    const sendMs = Date.now() - started;

    const outcomes = pairs.flat();
    const errors = tallyErrors(outcomes);
    const createdByHttp = outcomes.filter((o) => o.path === "http" && o.status === 201).length;
    const { messages: stored, pages } = await readWholeHistory(alice, conversationId, { pageSize: 30 });
    console.log(
      `[dual-path] seed=${random.seed} messages=${count} sends=${outcomes.length} pairsInFlight=${pairsInFlight} stored=${stored.length} ` +
        `createdByHttp=${createdByHttp} createdBySocket=${count - createdByHttp} errors=${JSON.stringify(errors)} ` +
        `duration=${seconds(sendMs)}s throughput=${perSecond(count, sendMs)} msg/s historyPages=${pages}`,
    );

    assert.deepEqual(errors, {}, "every send succeeded");
    const answered = new Map<string, MessageDto>();
    for (const [viaSocket, viaHttp] of pairs as [SendOutcome, SendOutcome][]) {
      assert.ok(viaSocket.ok && viaHttp.ok);
      assert.deepEqual(viaSocket.message, viaHttp.message, `the socket and HTTP answers differ for ${viaSocket.message.clientMsgId}`);
      answered.set(viaSocket.message.clientMsgId, viaSocket.message);
    }
    assertStoredExactly(stored, count, clientMsgIds);
    assertStoredMatches(stored, answered);
    await assertHeardAll(heard, stored, conversationId);
  });

  it("stores 200 messages once each through a storm of 5 interleaved socket and HTTP sends per message", { timeout: 180_000 }, async () => {
    const random = seededRandom("retry-storm");
    const { conversationId, heard } = await freshConversation("Carol Retry Storm");
    // Two tabs of Alice's, plus HTTP: the paths a browser's outbox retries through.
    const tabs = [await aliceSocket(), await aliceSocket()];
    const count = 200;
    const sendsPerMessage = 5;
    const batchSize = 25;
    const clientMsgIds = range(1, count).map(() => random.uuid());

    // Each send lands near its message's place in the queue, within about 10 messages' worth of
    // sends: some repeats race inside one batch, others arrive batches after the message was stored.
    const plan = clientMsgIds
      .flatMap((clientMsgId, i) =>
        range(1, sendsPerMessage).map(() => ({
          key: i + random.next() * 10,
          index: i,
          clientMsgId,
          path: random.pick(["socket", "http"] as const),
          tab: random.pick(tabs),
        })),
      )
      .sort((a, b) => a.key - b.key);

    const started = Date.now();
    const outcomes = await inBatches(
      plan.map((step) => () => send(step.path, { user: alice, socket: step.tab }, { conversationId, clientMsgId: step.clientMsgId, text: `storm ${step.index}` })),
      batchSize,
    );
    const sendMs = Date.now() - started;

    const errors = tallyErrors(outcomes);
    const byMessage = new Map<string, SendOutcome[]>();
    plan.forEach((step, i) => byMessage.set(step.clientMsgId, [...(byMessage.get(step.clientMsgId) ?? []), outcomes[i]!]));
    const httpCreated = outcomes.filter((o) => o.path === "http" && o.status === 201).length;
    const socketSends = outcomes.filter((o) => o.path === "socket").length;
    const { messages: stored, pages } = await readWholeHistory(alice, conversationId, { pageSize: 60 });
    console.log(
      `[retry-storm] seed=${random.seed} messages=${count} sends=${outcomes.length} (socket=${socketSends} http=${outcomes.length - socketSends}) ` +
        `batch=${batchSize} stored=${stored.length} createdByHttp=${httpCreated} errors=${JSON.stringify(errors)} ` +
        `duration=${seconds(sendMs)}s throughput=${perSecond(outcomes.length, sendMs)} sends/s ${perSecond(count, sendMs)} msg/s historyPages=${pages}`,
    );

    assert.deepEqual(errors, {}, "every send succeeded");
    assert.equal(byMessage.size, count);
    const answered = new Map<string, MessageDto>();
    for (const [clientMsgId, answers] of byMessage) {
      assert.equal(answers.length, sendsPerMessage);
      const messages = answers.map((answer) => (answer.ok ? answer.message : assert.fail(answer.error)));
      for (const message of messages.slice(1)) assert.deepEqual(message, messages[0], `answers differ for ${clientMsgId}`);
      // Only the send that stored the message may say so: HTTP answers 201 at most once per message.
      assert.ok(answers.filter((a) => a.path === "http" && a.status === 201).length <= 1, `two HTTP sends created ${clientMsgId}`);
      answered.set(clientMsgId, messages[0]!);
    }
    assertStoredExactly(stored, count, clientMsgIds);
    assertStoredMatches(stored, answered);
    await assertHeardAll(heard, stored, conversationId);
  });
});
