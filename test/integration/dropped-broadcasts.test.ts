// A client that misses every 7th broadcast still shows exactly what the database holds: a jump in
// a conversation's version makes the engine sync the gap. Nothing here syncs on a timer.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ChatEngine } from "../../lib/client/engine";
import type { MessageDto } from "../../lib/schemas/dto";
import { createEngine, readStoredMessages, viewOf } from "../support/engine";
import { seededRandom } from "../support/seeded";
import { startStack, type Stack } from "../support/stack";
import { createUser, openDirect, sleep, waitFor, type TestUser } from "../support/users";

const MESSAGES = 120;

describe("dropped broadcasts", { timeout: 120_000 }, () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  const engines: ChatEngine[] = [];

  before(async () => {
    stack = await startStack();
    [alice, bob] = await Promise.all([createUser(stack, "Alice Drop"), createUser(stack, "Bob Drop")]);
  });

  after(async () => {
    for (const engine of engines) engine.close();
    await stack?.stop();
  });

  it("a client missing every 7th message:created converges through sync", async () => {
    const random = seededRandom("dropped-broadcasts").next;
    const conversationId = await openDirect(alice, bob);
    // No periodic safety net: only gap detection can repair what is dropped.
    const sender = createEngine(stack, alice, { resyncEveryMs: 3_600_000 });
    const receiver = createEngine(stack, bob, { resyncEveryMs: 3_600_000 });
    engines.push(sender, receiver);

    // Fault injection at the socket: every 7th message:created never reaches the engine's handler.
    let seen = 0;
    let dropped = 0;
    const socket = receiver.client.socket!;
    const on = socket.on.bind(socket) as (event: string, listener: (payload: { message: MessageDto }) => void) => unknown;
    (socket as unknown as { on: typeof on }).on = (event, listener) =>
      on(event, event !== "message:created" ? listener : (payload) => {
        seen += 1;
        if (seen % 7 === 0) dropped += 1;
        else listener(payload);
      });

    await Promise.all([sender.start(), receiver.start()]);
    await receiver.openThread(conversationId);
    await waitFor(() => sender.client.socketUp() && receiver.client.socketUp(), { timeoutMs: 10_000, what: "sockets" });

    const started = Date.now();
    for (let n = 0; n < MESSAGES; n += 1) {
      await sender.send(conversationId, `drop ${n}`);
      if (random() < 0.2) await sleep(Math.floor(random() * 100));
    }
    await waitFor(() => sender.getState().pending.length === 0 && sender.outbox.pending().length === 0, { timeoutMs: 60_000, what: "all sent" });
    const stored = (await readStoredMessages(stack, [conversationId])).get(conversationId)!;
    assert.equal(stored.length, MESSAGES);

    await waitFor(() => JSON.stringify(viewOf(receiver, conversationId)) === JSON.stringify(stored), { timeoutMs: 10_000, what: "receiver view equal to the database" });
    assert.deepEqual(viewOf(receiver, conversationId), stored);
    assert.equal(seen, MESSAGES, "every broadcast reached the socket");
    assert.equal(dropped, Math.floor(MESSAGES / 7));
    assert.equal(receiver.getState().threads[conversationId]!.version, stored.at(-1)!.version);
    console.log(`[dropped-broadcasts] ${MESSAGES} messages, ${dropped} broadcasts dropped, view equal to the database ${((Date.now() - started) / 1000).toFixed(1)} s after the first send`);
  });
});
