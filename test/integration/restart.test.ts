// History and accounts survive a restart of every process: database, socket server, web app.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import type { MessageDto } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { connect, createUser, emitAck, openDirect, signIn } from "../support/users";

describe("restart of every process", () => {
  const stacks: Stack[] = [];
  after(async () => {
    for (const stack of stacks) await stack.stop();
  });

  it("keeps accounts, conversations and history in order", async () => {
    const first = await startStack();
    stacks.push(first);
    const ana = await createUser(first, "Ana");
    const ben = await createUser(first, "Ben");
    const conversationId = await openDirect(ana, ben);
    const socket = await connect(first, { token: ana.token });
    const texts = Array.from({ length: 5 }, (_, i) => `before restart ${i + 1}`);
    for (const text of texts) {
      const ack = await emitAck(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text });
      assert.ok(ack.ok, JSON.stringify(ack));
    }
    socket.disconnect();
    await first.stop({ keepData: true });
    stacks.pop();

    const second = await startStack({ data: first.data });
    stacks.push(second);
    // New processes, new secrets: the old session is gone, the account is not.
    const benAgain = await signIn(second, ben);
    const history = await benAgain.api(`/api/conversations/${conversationId}/messages`);
    assert.equal(history.status, 200);
    const { messages } = (await history.json()) as { messages: MessageDto[] };
    assert.deepEqual(messages.map((m) => m.text), texts);
    assert.deepEqual(messages.map((m) => m.seq), [1, 2, 3, 4, 5]);

    // And the conversation goes on from where it was.
    const live = await connect(second, { token: benAgain.token });
    const ack = await emitAck<{ message: MessageDto }>(live, "message:send", { conversationId, clientMsgId: randomUUID(), text: "after restart" });
    assert.ok(ack.ok, JSON.stringify(ack));
    assert.equal(ack.data.message.seq, 6);
    live.disconnect();
  });
});
