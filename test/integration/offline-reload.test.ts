// A reloaded page opens its conversation by loading its history. When that load fails because the
// network is gone, and the user writes meanwhile, the conversation must still end up whole once the
// network is back: the earlier messages and the new one, in order, with no reload. The engine here
// is the browser's; the network is cut at its transports (HTTP calls fail as a dropped fetch does,
// the socket server is down).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ChatApi, ChatEngine } from "../../lib/client/engine";
import { createHttpApi } from "../../lib/client/http-api";
import type { ConversationDto } from "../../lib/schemas/dto";
import { createEngine, readStoredMessages, viewOf } from "../support/engine";
import { startStack, type Stack } from "../support/stack";
import { createUser, openDirect, waitFor, type TestUser } from "../support/users";

/** The real HTTP API behind a switch: while `down`, every call fails like a fetch with no network. */
function switchable(api: ChatApi) {
  const network = { down: false };
  const guarded = Object.fromEntries(
    Object.entries(api).map(([name, call]) => [
      name,
      (...args: unknown[]) => (network.down ? Promise.reject(new TypeError("fetch failed")) : (call as (...a: unknown[]) => unknown)(...args)),
    ]),
  ) as ChatApi;
  return { network, api: guarded };
}

async function conversationsOf(user: TestUser): Promise<ConversationDto[]> {
  const response = await user.api("/api/conversations");
  assert.equal(response.status, 200);
  return ((await response.json()) as { conversations: ConversationDto[] }).conversations;
}

async function sendOverHttp(user: TestUser, conversationId: string, text: string) {
  const response = await user.api(`/api/conversations/${conversationId}/messages`, {
    method: "POST",
    body: JSON.stringify({ clientMsgId: crypto.randomUUID(), text }),
  });
  assert.ok(response.ok, `send: ${response.status}`);
}

describe("offline while a reloaded conversation's history loads", { timeout: 90_000 }, () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  const engines: ChatEngine[] = [];

  before(async () => {
    stack = await startStack();
    [alice, bob] = await Promise.all([createUser(stack, "Alice Reload"), createUser(stack, "Bob Reload")]);
  });

  after(async () => {
    for (const engine of engines) engine.close();
    await stack?.stop();
  });

  const realApi = (user: TestUser) => createHttpApi({ baseUrl: stack.webUrl, headers: () => ({ cookie: user.cookie }) });

  it("shows the history and the message written offline, in order, once the network is back", async () => {
    const conversationId = await openDirect(alice, bob);
    for (const text of ["Earlier 1", "Earlier 2", "Earlier 3"]) await sendOverHttp(bob, conversationId, text);
    // What the server rendered into the reloaded page: the list, not the thread.
    const initialConversations = await conversationsOf(alice);

    const { network, api } = switchable(realApi(alice));
    network.down = true;
    await stack.stopSocket();
    try {
      const engine = createEngine(stack, alice, { api, initialConversations, initialActiveId: conversationId, pollMs: 200 });
      engines.push(engine);
      await engine.start();
      await engine.openThread(conversationId);
      assert.equal(engine.getState().threads[conversationId]?.loaded ?? false, false, "the history load failed with the network");

      void engine.send(conversationId, "Written offline");
      assert.deepEqual(engine.getState().pending.map((p) => p.text), ["Written offline"], "shown at once as pending");
    } finally {
      network.down = false;
      await stack.startSocket();
    }

    const engine = engines.at(-1)!;
    await waitFor(() => engine.getState().pending.length === 0, { timeoutMs: 15_000, what: "the offline message stored" });
    const truth = (await readStoredMessages(stack, [conversationId])).get(conversationId)!;
    assert.deepEqual(truth.map((m) => m.text), ["Earlier 1", "Earlier 2", "Earlier 3", "Written offline"]);
    // No reload: the engine itself gets the history it could not load before.
    await waitFor(() => JSON.stringify(viewOf(engine, conversationId)) === JSON.stringify(truth), { timeoutMs: 10_000 }).catch(() => undefined);
    assert.deepEqual(viewOf(engine, conversationId).map((m) => m.text), truth.map((m) => m.text));
    assert.deepEqual(viewOf(engine, conversationId), truth);
  });

  it("merges a history page that arrives after the ack of a message written meanwhile", async () => {
    const carol = await createUser(stack, "Carol Reload");
    const conversationId = await openDirect(alice, carol);
    for (const text of ["Before 1", "Before 2"]) await sendOverHttp(carol, conversationId, text);
    const initialConversations = await conversationsOf(alice);

    // The page is read by the server before the send is stored, and handed to the engine only after the ack.
    const api = realApi(alice);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let pageRead!: () => void;
    const read = new Promise<void>((resolve) => (pageRead = resolve));
    const held: ChatApi = {
      ...api,
      loadMessages: async (input) => {
        const page = await api.loadMessages(input);
        pageRead();
        await released;
        return page;
      },
    };
    const engine = createEngine(stack, alice, { api: held, initialConversations, initialActiveId: conversationId });
    engines.push(engine);
    await engine.start();
    const opened = engine.openThread(conversationId);
    await read;
    await engine.send(conversationId, "Written while loading");
    await waitFor(() => engine.getState().pending.length === 0, { timeoutMs: 15_000, what: "the message stored" });
    release();
    await opened;

    const truth = (await readStoredMessages(stack, [conversationId])).get(conversationId)!;
    assert.deepEqual(truth.map((m) => m.text), ["Before 1", "Before 2", "Written while loading"]);
    await waitFor(() => JSON.stringify(viewOf(engine, conversationId)) === JSON.stringify(truth), { timeoutMs: 10_000 }).catch(() => undefined);
    assert.deepEqual(viewOf(engine, conversationId), truth);
  });
});
