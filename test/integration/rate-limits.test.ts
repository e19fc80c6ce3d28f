// Message rate limits with the production defaults (10 a second, burst 20, per user), against the
// built servers: a socket flood, socket and HTTP spending one budget, recovery after the wait,
// and the web app's own counting while the socket server is down.
//
// The bound asserted: a fresh user sends at most burst + rate × elapsed messages in `elapsed`
// seconds (lib/security/rate-limit/policies.ts: one window of `burst` lasting burst ÷ rate
// seconds gives burst · (⌊elapsed · rate ÷ burst⌋ + 1), never more than that). `elapsed` runs
// from the first request sent to the last answer received, which can only loosen the bound by
// the flood's own length, and it must still be at least the burst: the limit must not refuse early.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Ack } from "../../lib/realtime/events";
import type { MessageDto } from "../../lib/schemas/dto";
import { readStoredMessages } from "../support/engine";
import { upload } from "../support/files";
import { startStack, type Stack } from "../support/stack";
import { collect, createUser, emitAck, openDirect, sleep, socketPool, waitFor, type TestSocket, type TestUser } from "../support/users";

const RATE = 10;
const BURST = 20;
// The default for every other call (lib/env.js RATE_LIMIT_REQUESTS).
const REQUESTS = 200;
const REQUESTS_WINDOW_MS = 10_000;
const bound = (elapsedMs: number) => Math.floor(BURST + (RATE * elapsedMs) / 1000);

type Sent = { clientMsgId: string; ack: Ack<{ message: MessageDto }> };
type Posted = { clientMsgId: string; status: number; body: { message?: MessageDto; error?: { code: string; retryable: boolean; retryAfterMs?: number } }; retryAfter: string | null };

const sendSocket = async (socket: TestSocket, conversationId: string, clientMsgId: string = randomUUID()): Promise<Sent> => ({
  clientMsgId,
  ack: await emitAck<{ message: MessageDto }>(socket, "message:send", { conversationId, clientMsgId, text: `m ${clientMsgId}` }, { timeoutMs: 15_000 }),
});

async function post(user: TestUser, conversationId: string, clientMsgId: string = randomUUID()): Promise<Posted> {
  const response = await fetch(`${stackRef.webUrl}/api/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` },
    body: JSON.stringify({ clientMsgId, text: `h ${clientMsgId}` }),
  });
  return { clientMsgId, status: response.status, body: (await response.json()) as Posted["body"], retryAfter: response.headers.get("retry-after") };
}

let stackRef: Stack;

function assertRefusal(error: { code: string; retryable: boolean; retryAfterMs?: number } | undefined, where: string) {
  assert.equal(error?.code, "RATE_LIMITED", `${where}: ${JSON.stringify(error)}`);
  assert.equal(error?.retryable, true, where);
  assert.ok((error?.retryAfterMs ?? 0) > 0 && (error?.retryAfterMs ?? 0) <= (BURST / RATE) * 1000, `${where}: retryAfterMs ${error?.retryAfterMs}`);
}

async function storedBy(conversationId: string, senderId: string) {
  return (await readStoredMessages(stackRef, [conversationId])).get(conversationId)!.filter((m) => m.senderId === senderId);
}

describe("message rate limits", { timeout: 180_000 }, () => {
  let stack: Stack;
  let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, frank: TestUser;
  const pool = socketPool(() => stack);
  const open = pool.open;

  before(async () => {
    // The real defaults for messages; nothing in the environment sets them.
    stack = stackRef = await startStack({ rateLimits: "production" });
    [alice, bob, carol, dave, frank] = (await Promise.all(["Alice", "Bob", "Carol", "Dave", "Frank"].map((n) => createUser(stack, `${n} Limits`)))) as [TestUser, TestUser, TestUser, TestUser, TestUser];
  });

  after(async () => {
    pool.closeAll();
    await stack?.stop();
  });

  it("a flood of 1,000 sends in about a second: at most the bound accepted, the rest RATE_LIMITED, others unaffected", async () => {
    const [aliceBob, carolBob] = await Promise.all([openDirect(alice, bob), openDirect(carol, bob)]);
    const [aliceSocket, bobSocket, carolSocket] = await Promise.all([open(alice), open(bob), open(carol)]);
    const arrivals = new Map<string, number>();
    bobSocket.on("message:created", ({ message }) => arrivals.set(message.clientMsgId, Date.now()));

    const started = Date.now();
    const flood: Promise<Sent>[] = [];
    const latencies: number[] = [];
    const others: Promise<void>[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      for (let i = 0; i < 100; i += 1) flood.push(sendSocket(aliceSocket, aliceBob));
      // Meanwhile Carol writes to Bob; each message must reach him within a second.
      const clientMsgId = randomUUID();
      const sentAt = Date.now();
      others.push(
        sendSocket(carolSocket, carolBob, clientMsgId).then(async ({ ack }) => {
          assert.ok(ack.ok, `Carol's send was refused: ${JSON.stringify(ack)}`);
          latencies.push((await waitFor(() => arrivals.get(clientMsgId), { timeoutMs: 5_000, what: "Carol's message at Bob" })) - sentAt);
        }),
      );
      await sleep(100);
    }
    const results = await Promise.all(flood);
    const elapsed = Date.now() - started;
    await Promise.all(others);

    const accepted = results.filter((r) => r.ack.ok);
    for (const refused of results.filter((r) => !r.ack.ok)) assertRefusal(refused.ack.ok ? undefined : refused.ack.error, "flood ack");
    console.log(`flood: ${accepted.length} of ${results.length} accepted in ${elapsed} ms (bound ${bound(elapsed)}); Carol→Bob latency max ${Math.max(...latencies)} ms, all ${latencies.join(", ")}`);
    assert.ok(accepted.length <= bound(elapsed), `${accepted.length} accepted > ${bound(elapsed)}`);
    assert.ok(accepted.length >= BURST, `only ${accepted.length} accepted: the burst must pass`);
    assert.equal(latencies.length, 10);
    for (const latency of latencies) assert.ok(latency < 1_000, `Carol's message took ${latency} ms`);

    // Nothing lost, nothing extra: the database holds exactly the accepted sends, once each.
    const stored = await storedBy(aliceBob, alice.id);
    assert.deepEqual(stored.map((m) => m.clientMsgId).sort(), accepted.map((r) => r.clientMsgId).sort());
    assert.ok(aliceSocket.connected, "the flooding socket is still connected");
    assert.equal((await fetch(`${stack.socketUrl}/health`)).status, 200);

    // After the wait it names, the user sends again; a refused message sent again is stored once.
    const refused = results.find((r) => !r.ack.ok)!;
    const retryAfterMs = refused.ack.ok ? 0 : refused.ack.error.retryAfterMs!;
    await sleep(Math.max(0, started + elapsed - Date.now()) + retryAfterMs + 100);
    const again = await sendSocket(aliceSocket, aliceBob, refused.clientMsgId);
    assert.ok(again.ack.ok, `after the wait: ${JSON.stringify(again.ack)}`);
    const repeat = await sendSocket(aliceSocket, aliceBob, refused.clientMsgId);
    assert.ok(repeat.ack.ok && again.ack.ok && repeat.ack.data.message.id === again.ack.data.message.id);
    assert.equal((await storedBy(aliceBob, alice.id)).length, accepted.length + 1);
  });

  it("socket and HTTP sends spend one budget; HTTP answers 429 with the error body and Retry-After", async () => {
    const conversationId = await openDirect(dave, bob);
    const daveSocket = await open(dave);
    // The whole burst over the socket…
    const burst = await Promise.all(Array.from({ length: BURST }, () => sendSocket(daveSocket, conversationId)));
    assert.ok(burst.every((r) => r.ack.ok), "the burst passes");
    // …leaves nothing for HTTP.
    const refused = await post(dave, conversationId);
    assert.equal(refused.status, 429, JSON.stringify(refused.body));
    assertRefusal(refused.body.error, "HTTP");
    assert.ok(Number(refused.retryAfter) >= 1 && Number(refused.retryAfter) <= BURST / RATE, `Retry-After ${refused.retryAfter}`);

    // Once the window has passed: a mixed flood, half over each path, shares one bound.
    await sleep(refused.body.error!.retryAfterMs! + 100);
    const started = Date.now();
    const mixed = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 2 === 0
          ? sendSocket(daveSocket, conversationId).then((r) => ({ via: "socket", clientMsgId: r.clientMsgId, ok: r.ack.ok }))
          : post(dave, conversationId).then((r) => {
              if (r.status !== 201) assertRefusal(r.body.error, `HTTP ${r.status}`);
              return { via: "http", clientMsgId: r.clientMsgId, ok: r.status === 201 };
            }),
      ),
    );
    const elapsed = Date.now() - started;
    const accepted = mixed.filter((r) => r.ok);
    const byPath = (via: string) => `${accepted.filter((r) => r.via === via).length}/${mixed.filter((r) => r.via === via).length}`;
    console.log(`mixed flood: socket ${byPath("socket")}, http ${byPath("http")} accepted in ${elapsed} ms (bound ${bound(elapsed)})`);
    assert.ok(accepted.length <= bound(elapsed), `${accepted.length} accepted > ${bound(elapsed)}`);
    assert.ok(accepted.length >= BURST, `only ${accepted.length} accepted`);
    const stored = await storedBy(conversationId, dave.id);
    assert.equal(stored.length, BURST + accepted.length);
  });

  it("the internal rate-limit endpoint wants the shared secret and a valid body; bad input leaves it up", async () => {
    const secret = stack.env.INTERNAL_EVENTS_SECRET!;
    const ask = async (body: string, key: string | null = secret) => {
      const response = await fetch(`${stack.socketUrl}/internal/rate-limit`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(key === null ? {} : { "x-parley-internal-secret": key }) },
        body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const valid = JSON.stringify({ op: "consume", policy: "messages", key: "0123456789abcdef01234567" });
    assert.equal((await ask(valid, null)).status, 401);
    assert.equal((await ask(valid, `${secret.slice(0, -1)}x`)).status, 401);
    assert.equal((await ask(valid, `${secret}x`)).status, 401);
    for (const hostile of ["{", "null", "[]", JSON.stringify({ op: "consume", policy: "__proto__", key: "k" }), JSON.stringify({ op: "drop", policy: "messages", key: "k" }), JSON.stringify({ op: "consume", policy: "messages", key: "k", extra: 1 }), JSON.stringify({ op: "consume", policy: "messages", key: "k", points: -5 })]) {
      assert.equal((await ask(hostile)).status, 400, hostile);
    }
    assert.equal((await ask(JSON.stringify({ op: "consume", policy: "messages", key: "x".repeat(10_000) }))).status, 413);
    const answer = await ask(valid);
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.body).sort(), ["allowed", "remaining", "retryAfterMs"]);
    assert.equal((await fetch(`${stack.socketUrl}/health`)).status, 200);
  });

  it("every other call spends a second, generous budget: a flood of 1,000 syncs is cut at it, over both paths, and sends still pass", async () => {
    const gina = await createUser(stack, "Gina Limits");
    const conversationId = await openDirect(gina, bob);
    const socket = await open(gina);
    const started = Date.now();
    const acks = await Promise.all(Array.from({ length: 1_000 }, () => emitAck(socket, "sync", { conversationId, sinceVersion: 0 }, { timeoutMs: 30_000 })));
    const elapsed = Date.now() - started;
    const accepted = acks.filter((ack) => ack.ok).length;
    const limited = acks.filter((ack) => !ack.ok && ack.error.code === "RATE_LIMITED").length;
    // On a busy machine the database may shed some of the admitted syncs (UNAVAILABLE, retryable):
    // they spent budget all the same. Whatever was not refused by the limit was admitted by it.
    const admitted = acks.length - limited;
    // REQUESTS points per window of REQUESTS_WINDOW_MS, opened by the conversation's creation.
    const bound = REQUESTS * (Math.floor(elapsed / REQUESTS_WINDOW_MS) + 1);
    console.log(`sync flood: ${admitted} of ${acks.length} admitted (${accepted} answered, ${admitted - accepted} shed by the database) in ${elapsed} ms (bound ${bound})`);
    assert.ok(admitted <= bound, `${admitted} admitted > ${bound}`);
    assert.ok(admitted >= REQUESTS / 2, `only ${admitted} admitted: the limit refused early`);
    for (const ack of acks) {
      if (ack.ok) continue;
      assert.ok(["RATE_LIMITED", "UNAVAILABLE"].includes(ack.error.code), JSON.stringify(ack.error));
      assert.equal(ack.error.retryable, true);
    }
    // The same budget over HTTP, while the window lasts…
    const overHttp = await gina.api(`/api/conversations/${conversationId}/sync?since=0`);
    if (Date.now() - started < REQUESTS_WINDOW_MS - 1_000) assert.equal(overHttp.status, 429, await overHttp.text());
    // …and sending is a budget of its own.
    const sent = await sendSocket(socket, conversationId);
    assert.ok(sent.ack.ok, JSON.stringify(sent.ack));
    assert.ok(socket.connected);
  });

  it("placing calls has a budget of its own (10 a minute): a ring flood is cut, the callee's tabs ring no more, and messages still pass", async () => {
    const [hal, ivy] = await Promise.all([createUser(stack, "Hal Limits"), createUser(stack, "Ivy Limits")]);
    const conversationId = await openDirect(hal, ivy);
    const [caller, callee] = await Promise.all([open(hal), open(ivy)]);
    const rings = collect<{ call: { id: string } }>(callee, "call:ringing");
    const acks: Ack<{ call: { id: string }; partyId: string | null }>[] = [];
    for (let i = 0; i < 15; i++) {
      const ack = await emitAck<{ call: { id: string }; partyId: string | null }>(caller, "call:invite", { conversationId, callId: randomUUID(), media: "audio" });
      acks.push(ack);
      // Cancel each one, so the next is a new call rather than "already in a call".
      if (ack.ok && ack.data.partyId) await emitAck(caller, "call:hangup", { callId: ack.data.call.id, partyId: ack.data.partyId });
    }
    const limited = acks.filter((ack) => !ack.ok && ack.error.code === "RATE_LIMITED");
    assert.equal(acks.filter((ack) => ack.ok).length, 10, JSON.stringify(acks.filter((ack) => !ack.ok).slice(0, 2)));
    assert.equal(limited.length, 5);
    for (const ack of limited) if (!ack.ok) assert.ok(ack.error.retryAfterMs !== undefined && ack.error.retryAfterMs > 0);
    await sleep(300);
    assert.equal(rings.length, 10);
    assert.ok((await sendSocket(caller, conversationId)).ack.ok);
  });

  it("uploads have a budget of their own (60 a minute): the flood is cut with 429 and Retry-After, nothing of it stored, and messages still pass", async () => {
    const [jo, kim] = await Promise.all([createUser(stack, "Jo Limits"), createUser(stack, "Kim Limits")]);
    const conversationId = await openDirect(jo, kim);
    const answers = await Promise.all(Array.from({ length: 70 }, () => upload(jo, Buffer.from("a small file"), "flood.txt")));
    const accepted = answers.filter((answer) => answer.status === 201);
    const limited = answers.filter((answer) => answer.status === 429);
    assert.equal(accepted.length, 60);
    assert.equal(limited.length, 10);
    for (const answer of limited) {
      assert.equal(answer.body.error?.code, "RATE_LIMITED");
      assert.ok(Number(answer.headers.get("retry-after")) > 0);
    }
    assert.ok((await sendSocket(await open(jo), conversationId)).ack.ok);
  });

  it("searches have a budget of their own (60 a minute), one over the socket and HTTP: the rest are RATE_LIMITED, and other reads still pass", async () => {
    // Carol has only sent messages so far; sign-ups from one address are limited too, so no one new.
    const conversationId = await openDirect(carol, bob);
    const socket = await open(carol);
    const overSocket = await Promise.all(Array.from({ length: 40 }, () => emitAck(socket, "search", { q: "anything" }, { timeoutMs: 15_000 })));
    const overHttp = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const response = await fetch(`${stackRef.webUrl}/api/search?q=anything`, { headers: { authorization: `Bearer ${carol.token}` } });
        return { status: response.status, body: (await response.json()) as { error?: { code: string } }, retryAfter: response.headers.get("retry-after") };
      }),
    );
    const accepted = overSocket.filter((ack) => ack.ok).length + overHttp.filter((answer) => answer.status === 200).length;
    assert.equal(accepted, 60);
    for (const ack of overSocket.filter((a) => !a.ok)) assert.equal(!ack.ok && ack.error.code, "RATE_LIMITED");
    for (const answer of overHttp.filter((a) => a.status !== 200)) {
      assert.equal(answer.status, 429);
      assert.equal(answer.body.error?.code, "RATE_LIMITED");
      assert.ok(Number(answer.retryAfter) > 0);
    }
    // Other calls spend the general budget, untouched by the searches.
    const synced = await emitAck(socket, "sync", { conversationId, sinceVersion: 0 }, { timeoutMs: 15_000 });
    assert.ok(synced.ok, JSON.stringify(synced));
  });

  it("with the socket server down, the web app still limits HTTP sends by itself", async () => {
    const conversationId = await openDirect(frank, bob);
    await stack.stopSocket();
    try {
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 60 }, () => post(frank, conversationId)));
      const elapsed = Date.now() - started;
      const accepted = results.filter((r) => r.status === 201);
      for (const r of results.filter((x) => x.status !== 201)) {
        assert.equal(r.status, 429, JSON.stringify(r.body));
        assertRefusal(r.body.error, "fallback");
      }
      console.log(`fallback (socket server down): ${accepted.length} of ${results.length} accepted in ${elapsed} ms (bound ${bound(elapsed)})`);
      assert.ok(accepted.length <= bound(elapsed), `${accepted.length} accepted > ${bound(elapsed)}`);
      assert.ok(accepted.length >= 1, "an outage must not refuse everything");
      assert.equal((await storedBy(conversationId, frank.id)).length, accepted.length);
    } finally {
      await stack.startSocket();
    }
  });
});
