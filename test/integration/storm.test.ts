// Kill/restart storm: 10 clients in 3 conversations send 1,000 messages through the real client
// engine (outbox, retries, HTTP fallback, sync) while the socket server is SIGKILLed and restarted
// 5 times at random moments. A control run with plain fire-and-forget emits under the same kind
// of storm must lose messages, which shows this test can fail.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { io } from "socket.io-client";
import type { ChatEngine } from "../../lib/client/engine";
import { newClientMsgId } from "../../lib/client/realtime-client";
import { createEngine, readStoredMessages, viewOf } from "../support/engine";
import { seededRandom } from "../support/seeded";
import { startStack, type Stack } from "../support/stack";
import { createUser, sleep, waitFor, type TestUser } from "../support/users";

const CLIENTS = 10;
const MESSAGES = Number(process.env.STORM_MESSAGES ?? 1_000);
const KILLS = 5;

async function createGroup(owner: TestUser, name: string, members: TestUser[]): Promise<string> {
  const response = await owner.api("/api/conversations", {
    method: "POST",
    body: JSON.stringify({ kind: "group", name, memberIds: members.filter((m) => m.id !== owner.id).map((m) => m.id) }),
  });
  if (!response.ok) throw new Error(`group: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

/** SIGKILL the socket server whenever `progress()` crosses one of the random thresholds; restart it after a random pause. */
async function storm(stack: Stack, random: () => number, progress: () => number, log: string[]) {
  const thresholds = Array.from({ length: KILLS }, () => 0.05 + random() * 0.85).sort((a, b) => a - b);
  for (const threshold of thresholds) {
    await waitFor(() => progress() >= threshold, { timeoutMs: 300_000, what: `progress ${threshold.toFixed(2)}` });
    const down = 200 + Math.floor(random() * 1_300);
    const at = progress();
    await stack.stopSocket("SIGKILL");
    await sleep(down);
    await stack.startSocket();
    log.push(`kill at ${(at * 100).toFixed(0)}% down ${down}ms`);
  }
}

describe("kill/restart storm", { timeout: 480_000 }, () => {
  let stack: Stack;
  let users: TestUser[];
  const engines: ChatEngine[] = [];

  before(async () => {
    stack = await startStack();
    users = [];
    for (let i = 0; i < CLIENTS; i += 1) users.push(await createUser(stack, `Storm ${i}`));
  });

  after(async () => {
    for (const engine of engines) engine.close();
    await stack?.stop();
  });

  it("loses nothing acknowledged, doubles nothing, keeps each sender's order, and every view equals the database", async () => {
    const random = seededRandom("storm").next;
    const conversations = [
      await createGroup(users[0]!, "Storm A", users.slice(0, 5)),
      await createGroup(users[5]!, "Storm B", users.slice(5)),
      await createGroup(users[0]!, "Storm all", users),
    ];
    const memberOf = (i: number) => [i < 5 ? conversations[0]! : conversations[1]!, conversations[2]!];

    const acked = new Map<string, { seq: number; id: string }>();
    for (const [i, user] of users.entries()) {
      const engine = createEngine(stack, user, {
        onSent: (entry, message) => acked.set(entry.clientMsgId, { seq: message.seq, id: message.id }),
      });
      engines.push(engine);
      await engine.start();
      for (const id of memberOf(i)) await engine.openThread(id);
    }
    await waitFor(() => engines.every((e) => e.client.socketUp()), { timeoutMs: 10_000, what: "all sockets" });

    // Who writes what, where, in which order: all decided by the seed.
    const written = new Map<string, { sender: string; conversationId: string; index: number }>();
    const started = Date.now();
    const kills: string[] = [];
    const stormDone = storm(stack, random, () => acked.size / MESSAGES, kills);
    const progress = setInterval(() => {
      const waiting = engines.map((e) => e.outbox.pending().length);
      console.log(`[storm] ${((Date.now() - started) / 1000).toFixed(0)} s: acked ${acked.size}, outboxes ${waiting.join(",")}, ${kills.length} kills`);
    }, 10_000);
    for (let n = 0; n < MESSAGES; n += 1) {
      const i = Math.floor(random() * CLIENTS);
      const options = memberOf(i);
      const conversationId = options[Math.floor(random() * options.length)]!;
      const entry = await engines[i]!.send(conversationId, `storm ${n} from ${i}`);
      written.set(entry.clientMsgId, { sender: users[i]!.id, conversationId, index: n });
      if (n % 50 === 49) await sleep(Math.floor(random() * 200));
    }
    await stormDone;
    await waitFor(() => acked.size === MESSAGES, { timeoutMs: 300_000, what: "every message acknowledged" }).finally(() => clearInterval(progress));
    const sendSeconds = (Date.now() - started) / 1000;

    const stored = await readStoredMessages(stack, conversations);
    const all = [...stored.values()].flat();
    // 0 lost, 0 doubled.
    assert.equal(all.length, MESSAGES);
    assert.equal(new Set(all.map((m) => `${m.senderId}:${m.clientMsgId}`)).size, MESSAGES);
    for (const [clientMsgId, ack] of acked) {
      const row = all.find((m) => m.clientMsgId === clientMsgId);
      assert.ok(row, `acknowledged message ${clientMsgId} is missing`);
      assert.equal(row.id, ack.id);
      assert.equal(row.seq, ack.seq);
    }
    // Per sender and conversation, seq follows the order written; seqs are unique per conversation.
    for (const [conversationId, rows] of stored) {
      assert.equal(new Set(rows.map((m) => m.seq)).size, rows.length, `unique seq in ${conversationId}`);
      const bySender = new Map<string, number[]>();
      for (const row of rows) bySender.set(row.senderId, [...(bySender.get(row.senderId) ?? []), written.get(row.clientMsgId)!.index]);
      for (const [sender, order] of bySender) assert.deepEqual(order, [...order].sort((a, b) => a - b), `order of ${sender}`);
    }
    // Every client's view converges on the database, through its own broadcasts and syncs.
    const convergeStart = Date.now();
    await waitFor(
      () => engines.every((engine, i) => memberOf(i).every((id) => JSON.stringify(viewOf(engine, id)) === JSON.stringify(stored.get(id)))),
      { timeoutMs: 30_000, what: "every view equal to the database" },
    );
    for (const [i, engine] of engines.entries()) {
      for (const id of memberOf(i)) assert.deepEqual(viewOf(engine, id), stored.get(id));
      assert.deepEqual(engine.getState().pending, []);
    }
    console.log(
      `[storm] ${MESSAGES} messages from ${CLIENTS} clients in ${sendSeconds.toFixed(1)} s; ${kills.length} kills (${kills.join("; ")}); ` +
        `stored ${all.length}, duplicates 0, views converged ${((Date.now() - convergeStart) / 1000).toFixed(1)} s after the last ack`,
    );
  });

  it("control: plain fire-and-forget emits under the same storm lose messages", async () => {
    const random = seededRandom("storm-control").next;
    const conversationId = await createGroup(users[0]!, "Control", users);
    const sockets = users.map((user) =>
      io(stack.socketUrl, { transports: ["websocket"], forceNew: true, auth: (cb) => void user.api("/api/realtime/token").then((r) => r.json()).then((b: { token: string }) => cb({ token: b.token })) }),
    );
    try {
      await waitFor(() => sockets.every((s) => s.connected), { timeoutMs: 10_000, what: "control sockets" });
      let emitted = 0;
      const kills: string[] = [];
      const stormDone = storm(stack, random, () => emitted / MESSAGES, kills);
      for (let n = 0; n < MESSAGES; n += 1) {
        const i = Math.floor(random() * CLIENTS);
        sockets[i]!.emit("message:send", { conversationId, clientMsgId: newClientMsgId(), text: `control ${n}` });
        emitted += 1;
        if (n % 25 === 24) await sleep(20 + Math.floor(random() * 80));
      }
      await stormDone;
      await sleep(5_000);
      const stored = (await readStoredMessages(stack, [conversationId])).get(conversationId)!;
      console.log(`[storm-control] emitted ${MESSAGES}, stored ${stored.length}, lost ${MESSAGES - stored.length} (${kills.join("; ")})`);
      assert.ok(stored.length < MESSAGES, "fire-and-forget emits survived every kill: the storm is not harsh enough to prove anything");
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  });
});
