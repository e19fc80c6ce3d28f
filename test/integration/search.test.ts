// Message search over the real stack (HTTP and the socket request): matching (prefix, case,
// accents, ß, languages without spaces, phrases), the operators, what a searcher may see (members
// only, now; never deleted, never hidden for them), the index following edits and deletions,
// paging, the sweep that repairs an index a crash left behind, and hostile queries.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { MongoClient, ObjectId } from "mongodb";
import type { MessageDto, SearchResult } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { createUser, emitAck, openDirect, sleep, socketPool, type TestSocket, type TestUser } from "../support/users";

async function createGroup(owner: TestUser, name: string, members: TestUser[]): Promise<string> {
  const response = await owner.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name, memberIds: members.map((m) => m.id) }) });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

async function send(socket: TestSocket, conversationId: string, text: string): Promise<MessageDto> {
  const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text });
  assert.ok(ack.ok, `message:send failed: ${JSON.stringify(ack)}`);
  return ack.data.message;
}

async function search(user: TestUser, params: Record<string, string>): Promise<SearchResult> {
  const response = await user.api(`/api/search?${new URLSearchParams(params)}`);
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as SearchResult;
}

const texts = (result: SearchResult) => result.hits.map((m) => m.text);

/** The index follows writes a moment later: asks until `expect` holds (or fails with the last answer). */
async function searchUntil(user: TestUser, params: Record<string, string>, expect: (result: SearchResult) => boolean, timeoutMs = 5_000): Promise<SearchResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await search(user, params);
    if (expect(result)) return result;
    if (Date.now() > deadline) assert.fail(`search ${JSON.stringify(params)} never matched; last: ${JSON.stringify(texts(result))}`);
    await sleep(100);
  }
}

describe("message search", { timeout: 240_000 }, () => {
  let stack: Stack;
  let db: MongoClient;
  let ana: TestUser;
  let ben: TestUser;
  let cy: TestUser;
  let direct: string;
  let group: string;
  let anaSocket: TestSocket;
  let benSocket: TestSocket;
  const pool = socketPool(() => stack);

  before(async () => {
    stack = await startStack();
    db = new MongoClient(stack.mongoUri);
    await db.connect();
    [ana, ben, cy] = (await Promise.all(["Ana Search", "Ben Search", "Cy Search"].map((n) => createUser(stack, n)))) as [TestUser, TestUser, TestUser];
    direct = await openDirect(ana, ben);
    group = await createGroup(ana, "Launch crew", [ben, cy]);
    [anaSocket, benSocket] = await Promise.all([pool.open(ana), pool.open(ben)]);
  });

  after(async () => {
    pool.closeAll();
    await db?.close();
    await stack?.stop();
  });

  it("matches words by prefix, without regard to case or accents, in languages without spaces, and phrases in order", async () => {
    await send(anaSocket, direct, "We deploy the Release tonight");
    await send(benSocket, direct, "Un CAFÉ crème à la Straße, s'il vous plaît");
    await send(anaSocket, direct, "東京都に住んでいます");
    await send(benSocket, direct, "สวัสดีครับ ผมชื่อเบน");
    await searchUntil(ben, { q: "deplo" }, (r) => r.hits.length === 1);
    assert.deepEqual(texts(await search(ben, { q: "DEPLOY release" })), ["We deploy the Release tonight"]);
    assert.deepEqual(texts(await search(ben, { q: "cafe creme strasse" })), ["Un CAFÉ crème à la Straße, s'il vous plaît"]);
    assert.deepEqual(texts(await search(ana, { q: "Café" })), ["Un CAFÉ crème à la Straße, s'il vous plaît"]);
    assert.deepEqual(texts(await search(ana, { q: "東京" })), ["東京都に住んでいます"]);
    assert.deepEqual(texts(await search(ana, { q: "住んで" })), ["東京都に住んでいます"]);
    assert.deepEqual(texts(await search(ana, { q: "ครับ" })), ["สวัสดีครับ ผมชื่อเบน"]);
    assert.deepEqual(texts(await search(ana, { q: '"release tonight"' })), ["We deploy the Release tonight"]);
    assert.deepEqual(texts(await search(ana, { q: '"tonight release"' })), [], "a phrase is in order");
    assert.deepEqual(texts(await search(ana, { q: "deploy nothing" })), [], "every word must match");
    assert.deepEqual(texts(await search(ana, { q: "eploy" })), [], "a word matches from its start");
    const result = await search(ana, { q: "deplo" });
    assert.deepEqual(result.words, ["deplo"], "the folded words come back for highlighting");
  });

  it("operators: from:, in:, has:link, before: and after:, alone or with words", async () => {
    await send(anaSocket, group, "Launch checklist ready: https://example.com/list");
    await send(benSocket, group, "Launch moved to Friday");
    await searchUntil(cy, { q: "launch" }, (r) => r.hits.length === 2);
    assert.deepEqual(texts(await search(cy, { q: "launch from:ben" })), ["Launch moved to Friday"]);
    assert.deepEqual(texts(await search(cy, { q: 'from:"ana search"' })), ["Launch checklist ready: https://example.com/list"]);
    assert.deepEqual(texts(await search(ben, { q: "from:me launch" })), ["Launch moved to Friday"]);
    assert.deepEqual(texts(await search(ben, { q: "in:launch" })).sort(), ["Launch checklist ready: https://example.com/list", "Launch moved to Friday"]);
    assert.deepEqual(texts(await search(ben, { q: "deploy in:launch" })), []);
    assert.deepEqual(texts(await search(ben, { q: "deploy in:ana" })), ["We deploy the Release tonight"], "a direct conversation is named after the other person");
    assert.deepEqual(texts(await search(cy, { q: "has:link" })), ["Launch checklist ready: https://example.com/list"]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    assert.equal((await search(cy, { q: `launch before:${yesterday}` })).hits.length, 0);
    assert.equal((await search(cy, { q: `launch after:${yesterday}` })).hits.length, 2);
    assert.equal((await search(cy, { q: `launch before:${tomorrow}` })).hits.length, 2);
    assert.equal((await search(cy, { q: `launch after:${tomorrow}` })).hits.length, 0);
    // Inside one conversation.
    assert.deepEqual(texts(await search(ben, { q: "launch", conversationId: direct })), []);
    assert.equal((await search(ben, { q: "launch", conversationId: group })).hits.length, 2);
  });

  it("finds only what the searcher may read now: members only, never deleted, never hidden for them", async () => {
    const secret = await send(anaSocket, direct, "Quarterly numbers attached");
    await searchUntil(ana, { q: "quarterly" }, (r) => r.hits.length === 1);
    assert.equal((await search(cy, { q: "quarterly" })).hits.length, 0, "not a member of the direct conversation");
    const asked = await cy.api(`/api/search?${new URLSearchParams({ q: "quarterly", conversationId: direct })}`);
    assert.equal(asked.status, 404, "searching inside someone else's conversation is NOT_FOUND");

    const gossip = await send(benSocket, group, "Quokka gossip for the crew");
    await searchUntil(cy, { q: "quokka" }, (r) => r.hits.length === 1);
    assert.equal((await ana.api(`/api/conversations/${group}/members/${cy.id}`, { method: "DELETE" })).status, 204);
    assert.equal((await search(cy, { q: "quokka" })).hits.length, 0, "removed: nothing from there any more");
    assert.equal((await search(ben, { q: "quokka" })).hits.length, 1);

    const hidden = await emitAck(benSocket, "message:delete", { messageId: gossip.id, for: "me" });
    assert.ok(hidden.ok, JSON.stringify(hidden));
    await searchUntil(ben, { q: "quokka" }, (r) => r.hits.length === 0);
    assert.equal((await search(ana, { q: "quokka" })).hits.length, 1, "hidden for Ben alone");

    const deleted = await emitAck(anaSocket, "message:delete", { messageId: secret.id, for: "everyone" });
    assert.ok(deleted.ok, JSON.stringify(deleted));
    await searchUntil(ana, { q: "quarterly" }, (r) => r.hits.length === 0);
    assert.equal((await search(ben, { q: "quarterly" })).hits.length, 0);
  });

  it("follows edits: the old words stop matching, the new ones match", async () => {
    const message = await send(anaSocket, direct, "Meet at the harbour");
    await searchUntil(ben, { q: "harbour" }, (r) => r.hits.length === 1);
    const edited = await emitAck(anaSocket, "message:edit", { messageId: message.id, text: "Meet at the lighthouse" });
    assert.ok(edited.ok, JSON.stringify(edited));
    await searchUntil(ben, { q: "lighthouse" }, (r) => r.hits.length === 1);
    assert.equal((await search(ben, { q: "harbour" })).hits.length, 0);
  });

  it("from: finds people by name or as me, alone or with words, and still someone who has left", async () => {
    const namesake = await createUser(stack, "Ben Searchlight");
    const [cySocket, namesakeSocket] = await Promise.all([pool.open(cy), pool.open(namesake)]);
    const harbour = await createGroup(ana, "Harbour team", [ben, cy, namesake]);
    await send(cySocket, harbour, "Cy signing off for today");
    await send(namesakeSocket, harbour, "Another Ben signing up");
    await send(benSocket, harbour, "Ben signing in");
    await searchUntil(ana, { q: "signing" }, (r) => r.hits.length === 3);
    // A whole name as typed is that person; part of one, everyone it begins.
    assert.deepEqual(texts(await search(ana, { q: 'signing from:"ben search"' })), ["Ben signing in"]);
    assert.deepEqual(texts(await search(ana, { q: "signing from:ben" })), ["Ben signing in", "Another Ben signing up"]);
    // Started from the senders' keys: alone, with a word, and two names at once.
    assert.deepEqual(texts(await search(ana, { q: "from:cy" })), ["Cy signing off for today"]);
    assert.deepEqual(texts(await search(ana, { q: "from:cy signing" })), ["Cy signing off for today"]);
    assert.deepEqual(texts(await search(ana, { q: "signing from:ben from:cy" })), ["Ben signing in", "Another Ben signing up", "Cy signing off for today"]);
    assert.equal(texts(await search(ben, { q: "from:me" }))[0], "Ben signing in");
    assert.deepEqual(texts(await search(ben, { q: "from:me signing" })), ["Ben signing in"]);
    assert.deepEqual(texts(await search(ben, { q: "from:nobody" })), []);
    // Cy leaves: no member of Ana's conversations is called that now, so the name each message holds tells.
    assert.equal((await ana.api(`/api/conversations/${harbour}/members/${cy.id}`, { method: "DELETE" })).status, 204);
    assert.deepEqual(texts(await search(ana, { q: "from:cy" })), ["Cy signing off for today"]);
    assert.deepEqual(texts(await search(cy, { q: "from:me" })), [], "and Cy finds nothing there any more");
  });

  it("pages newest first, 20 at a time, each message once, and the socket request answers as HTTP does", async () => {
    const sent: string[] = [];
    for (let i = 1; i <= 45; i++) sent.push((await send(i % 2 ? anaSocket : benSocket, direct, `Zebra crossing number ${i}`)).id);
    await searchUntil(ana, { q: "zebra" }, (r) => r.hits.length === 20 && r.hits[0]!.text === "Zebra crossing number 45");
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: SearchResult = await search(ana, cursor ? { q: "zebra", cursor } : { q: "zebra" });
      seen.push(...page.hits.map((m) => m.id));
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    assert.deepEqual(seen, [...sent].reverse(), "every match once, newest first");
    const overSocket = await emitAck<SearchResult>(benSocket, "search", { q: "zebra" });
    assert.ok(overSocket.ok, JSON.stringify(overSocket));
    assert.deepEqual(overSocket.data.hits.map((m) => m.id), seen.slice(0, 20));
  });

  it("a change the index missed (its process died before indexing it) is picked up by the sweep", async () => {
    const message = await send(anaSocket, direct, "Narwhal sighting at noon");
    await searchUntil(ana, { q: "narwhal" }, (r) => r.hits.length === 1);
    // As if the process had stored the message and died, and nobody had written there since (the
    // sweep leaves a conversation alone for 30 s after its last message): no posting, the index behind.
    const database = db.db(stack.env.MONGODB_DB);
    await database.collection("searchIndex").deleteOne({ _id: new ObjectId(message.id) });
    await database.collection("conversations").updateOne(
      { _id: new ObjectId(direct) },
      { $set: { searchBehind: true, searchVersion: message.version - 1, lastActivityAt: new Date(Date.now() - 60_000) } },
    );
    assert.equal((await search(ana, { q: "narwhal" })).hits.length, 0);
    await searchUntil(ana, { q: "narwhal" }, (r) => r.hits.length === 1, 15_000);
  });

  it("hostile queries get a clear error or nothing, and the server stays up", async () => {
    for (const q of [".*", "^(a+)+$", "[", "\\", "$where", "{$ne: 1}", "a|b", "(?i)x", "%00", "\u0000", "\u202e", '"""', ":", "from:me:"]) {
      const response = await ana.api(`/api/search?${new URLSearchParams({ q })}`);
      assert.ok(response.status === 200 || response.status === 400, `${JSON.stringify(q)}: ${response.status}`);
    }
    const long = await ana.api(`/api/search?${new URLSearchParams({ q: "a".repeat(10_000) })}`);
    assert.equal(long.status, 400);
    assert.match(((await long.json()) as { error: { message: string } }).error.message, /at most 500 characters/);
    for (const [q, message] of [
      ["has:nothing", /has: takes file, image, link/],
      ["before:yesterday", /is not a date/],
      ["after:2026-02-30", /is not a date/],
      ["from:", /from: needs a value/],
    ] as const) {
      const response = await ana.api(`/api/search?${new URLSearchParams({ q })}`);
      assert.equal(response.status, 400, q);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, message);
    }
    for (const cursor of ["x", "1.zz", `${"9".repeat(16)}.${"a".repeat(24)}`, "{}"]) {
      assert.equal((await ana.api(`/api/search?${new URLSearchParams({ q: "zebra", cursor })}`)).status, 400, cursor);
    }
    for (const payload of [{ q: { $ne: "" } }, { q: "zebra", conversationId: { $gt: "" } }, { q: "zebra", $where: "1" }, { q: ["zebra"] }, null, "zebra"]) {
      const ack = await emitAck(anaSocket, "search", payload);
      if (ack.ok) assert.deepEqual(payload, { q: "zebra", $where: "1" }, "only an unknown key is ignored");
      else assert.equal(ack.error.code, "VALIDATION", JSON.stringify(payload));
    }
    assert.equal((await search(ana, { q: "zebra" })).hits.length, 20, "still answering");
  });
});
