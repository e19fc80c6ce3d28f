// The client engine opened at an old message (a search result): a window around it that stops
// short of the end, live messages held back and counted once, newer pages up to the end, and the
// newest page again. The real engine against the real stack.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { newerHeard } from "../../lib/client/chat-state";
import type { ChatEngine } from "../../lib/client/engine";
import { createEngine, readStoredMessages } from "../support/engine";
import { startStack, type Stack } from "../support/stack";
import { createUser, openDirect, waitFor, type TestUser } from "../support/users";

const HISTORY = 120;

describe("a thread window (opened at a search result)", { timeout: 120_000 }, () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let engine: ChatEngine;

  const post = async (conversationId: string, text: string) => {
    const response = await alice.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text }) });
    assert.equal(response.status, 201);
  };

  before(async () => {
    stack = await startStack();
    [alice, bob] = await Promise.all([createUser(stack, "Alice Window"), createUser(stack, "Bob Window")]);
  });

  after(async () => {
    engine?.close();
    await stack?.stop();
  });

  it("opens around a seq, holds live messages back, pages newer to the end without a gap or a double count, and goes back to the newest page", async () => {
    const conversationId = await openDirect(alice, bob);
    for (let n = 1; n <= HISTORY; n += 1) await post(conversationId, `window ${n}`);
    engine = createEngine(stack, bob, { resyncEveryMs: 3_600_000 });
    await engine.start();
    await engine.refreshConversations();
    await waitFor(() => engine.client.socketUp(), { timeoutMs: 10_000, what: "socket" });
    const thread = () => engine.getState().threads[conversationId]!;
    const conversation = () => engine.getState().conversations.find((c) => c.id === conversationId)!;
    // The server counts unread up to a cap: what it said, plus what is heard from now on.
    const unreadBefore = conversation().unreadCount;
    assert.ok(unreadBefore > 0);

    assert.equal(await engine.openAt(conversationId, 20), true);
    const seqs = () => thread().messages.map((m) => m.seq);
    assert.equal(thread().hasNewer, true);
    assert.ok(seqs().includes(20) && seqs()[0]! < 20 && seqs().at(-1)! < HISTORY, `a window around 20: ${seqs()[0]}…${seqs().at(-1)}`);

    // Live while the window is open: counted, not shown.
    await post(conversationId, "live during the window");
    await waitFor(() => conversation().lastSeq === HISTORY + 1, { timeoutMs: 5_000, what: "the live message" });
    assert.equal(newerHeard(thread(), bob.id), 1);
    assert.ok(!seqs().includes(HISTORY + 1));

    for (let page = 0; page < 10 && thread().hasNewer; page += 1) await engine.loadNewer(conversationId);
    assert.equal(thread().hasNewer, false);
    const stored = (await readStoredMessages(stack, [conversationId])).get(conversationId)!;
    const first = seqs()[0]!;
    assert.deepEqual(seqs(), stored.filter((m) => m.seq >= first).map((m) => m.seq), "from the window's start to the newest, each once, in order");
    // Counted once: the server's capped count plus the live one, or, when one of Bob's own receipts
    // comes back once the thread holds every message from seq 1 on, the exact count from the thread.
    // Counting the live message twice would give neither.
    assert.ok([unreadBefore + 1, HISTORY + 1].includes(conversation().unreadCount), `the live message heard, then paged in, counts once: ${conversation().unreadCount} of ${unreadBefore} + 1`);

    // Another window, then back to the newest page.
    await engine.openAt(conversationId, 3);
    assert.equal(thread().messages[0]!.seq, 1);
    await engine.loadLatest(conversationId);
    assert.deepEqual([thread().messages.at(-1)!.seq, thread().hasNewer], [HISTORY + 1, false]);

    // Search goes over the socket, as other requests do.
    let hits: string[] = [];
    for (let attempt = 0; attempt < 100 && hits.length === 0; attempt += 1) {
      const result = await engine.search({ q: "during" });
      assert.ok(result.ok, JSON.stringify(result));
      hits = result.data.hits.map((m) => m.text);
      if (hits.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(hits, ["live during the window"]);
  });
});
