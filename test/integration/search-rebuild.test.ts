// SEARCH_INDEX=off and the rebuild command (README "Search"): with the index off a process writes
// none of it and sends still work; `npm run search:rebuild` then indexes what is there, a second
// run writes nothing twice, and `--continue` finishes what an interrupted rebuild left.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { MongoClient, type Db } from "mongodb";
import { root } from "../../scripts/processes.mjs";
import type { MessageDto, SearchResult } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { createUser, emitAck, openDirect, sleep, socketPool, type TestSocket, type TestUser } from "../support/users";

type Outcome = { looked: number; indexed: number; postings: number };

describe("search index off, and the rebuild command", { timeout: 240_000 }, () => {
  let stack: Stack;
  let client: MongoClient;
  let db: Db;
  let ana: TestUser;
  let ben: TestUser;
  let direct: string;
  let anaSocket: TestSocket;
  const pool = socketPool(() => stack);

  const send = async (text: string) => {
    const ack = await emitAck<{ message: MessageDto }>(anaSocket, "message:send", { conversationId: direct, clientMsgId: randomUUID(), text });
    assert.ok(ack.ok, `message:send failed: ${JSON.stringify(ack)}`);
  };
  const search = async (q: string) => {
    const response = await ben.api(`/api/search?${new URLSearchParams({ q })}`);
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as SearchResult).hits.map((m) => m.text);
  };
  const rebuild = async (...args: string[]): Promise<Outcome> => {
    const script = path.join(root, "scripts/search-rebuild.ts");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script, ...args], { cwd: root, env: { ...process.env, ...stack.env }, timeout: 60_000 });
    return JSON.parse(stdout.trim().split("\n").at(-1)!) as Outcome;
  };
  const postings = () => db.collection("searchIndex").countDocuments({});

  before(async () => {
    stack = await startStack({ env: { SEARCH_INDEX: "off" } });
    client = new MongoClient(stack.mongoUri);
    await client.connect();
    db = client.db(stack.env.MONGODB_DB);
    [ana, ben] = (await Promise.all(["Ana Rebuild", "Ben Rebuild"].map((n) => createUser(stack, n)))) as [TestUser, TestUser];
    direct = await openDirect(ana, ben);
    anaSocket = await pool.open(ana);
  });

  after(async () => {
    pool.closeAll();
    await client?.close();
    await stack?.stop();
  });

  it("with SEARCH_INDEX=off, sends work and nothing is written to the index nor flagged behind", async () => {
    await send("the quarterly zanzibar report");
    await send("zanzibar again, with the figures");
    // The indexer would have run by now (it follows a send within milliseconds).
    await sleep(500);
    assert.equal(await postings(), 0);
    assert.equal(await db.collection("conversations").countDocuments({ searchBehind: true }), 0);
    assert.deepEqual(await search("zanzibar"), []);
  });

  it("the rebuild indexes what is there, and running it again writes nothing twice", async () => {
    const first = await rebuild();
    assert.equal(first.postings, 2);
    assert.ok(first.indexed >= 1);
    assert.deepEqual(await search("zanzibar"), ["zanzibar again, with the figures", "the quarterly zanzibar report"]);
    // Nothing is behind any more: --continue writes nothing.
    const again = await rebuild("--continue");
    assert.equal(again.indexed, 0);
    assert.equal(again.postings, 0);
    // A second full rebuild starts over: one posting per message still, the same answers.
    assert.equal((await rebuild()).postings, 2);
    assert.equal(await postings(), 2);
    assert.deepEqual(await search("zanzibar"), ["zanzibar again, with the figures", "the quarterly zanzibar report"]);
  });

  it("--continue indexes what a process with the index off wrote since, and what an interrupted rebuild left", async () => {
    await send("a zanzibar postscript");
    await sleep(300);
    assert.equal(await postings(), 2);
    // Found by the version hint (no flag was set with the index off).
    assert.equal((await rebuild("--continue")).postings, 1);
    assert.equal((await search("postscript")).length, 1);

    // As a rebuild stopped after its reset leaves things: the index empty, every conversation behind from nothing.
    await db.collection("searchIndex").deleteMany({});
    await db.collection("conversations").updateMany({}, { $set: { searchBehind: true, searchVersion: -Date.now() } });
    const resumed = await rebuild("--continue");
    assert.equal(resumed.postings, 3);
    assert.equal(await db.collection("conversations").countDocuments({ searchBehind: true }), 0);
    assert.equal((await search("zanzibar")).length, 3);
  });
});
