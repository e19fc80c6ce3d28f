// Phrases looked up by a pair of their words (lib/search/keys.ts pairKeysOf), and an index written
// before Parley filed pairs (an upgrade): the first process that files them marks since when
// (lib/db/search.ts pairsFrom), older postings are still found by their words, and
// `npm run search:rebuild` files every posting's pairs and moves the mark to the start of time.
// The real stack, restarted on the same data as an upgrade would.
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
import { connect, createUser, emitAck, openDirect, signIn, sleep, type TestSocket, type TestUser } from "../support/users";

type Posting = { _id: unknown; w?: string[] };

describe("phrases by pairs of words, and an index from before pairs", { timeout: 240_000 }, () => {
  const stacks: Stack[] = [];
  let client: MongoClient;
  let db: Db;
  let ana: TestUser;
  let ben: TestUser;
  let direct: string;

  const stack = () => stacks.at(-1)!;
  const postings = () => db.collection<Posting>("searchIndex");
  const mark = async () => (await db.collection<{ _id: string; from: Date }>("singletons").findOne({ _id: "searchPairs" }))?.from ?? null;

  const send = async (socket: TestSocket, text: string) => {
    const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", { conversationId: direct, clientMsgId: randomUUID(), text });
    assert.ok(ack.ok, `message:send failed: ${JSON.stringify(ack)}`);
  };
  const search = async (user: TestUser, q: string) => {
    const response = await user.api(`/api/search?${new URLSearchParams({ q })}`);
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as SearchResult).hits.map((m) => m.text).sort();
  };
  /** Until every message is indexed: none of the conversation is flagged behind. */
  const indexed = async () => {
    for (let i = 0; i < 100 && (await db.collection("conversations").countDocuments({ searchBehind: true })) > 0; i++) await sleep(100);
  };
  /** What a version of Parley before pairs left: postings filed under their words alone, and no mark. */
  const forgetPairs = async () => {
    for (const posting of await postings().find({}).toArray()) {
      await postings().updateOne({ _id: posting._id }, { $set: { w: (posting.w ?? []).filter((key) => !key.includes(" ")) } });
    }
  };
  const restart = async () => {
    const previous = stack();
    await previous.stop({ keepData: true });
    stacks.push(await startStack({ data: previous.data }));
    // The embedded database is a new process too, on another port.
    await client.close();
    client = new MongoClient(stack().mongoUri);
    await client.connect();
    db = client.db(stack().env.MONGODB_DB);
    // New processes, new secrets: the sessions are gone, the accounts are not.
    [ana, ben] = await Promise.all([signIn(stack(), ana), signIn(stack(), ben)]);
  };
  const rebuild = async () => {
    const script = path.join(root, "scripts/search-rebuild.ts");
    await promisify(execFile)(process.execPath, ["--import", "tsx", script], { cwd: root, env: { ...process.env, ...stack().env }, timeout: 60_000 });
  };

  before(async () => {
    stacks.push(await startStack());
    client = new MongoClient(stack().mongoUri);
    await client.connect();
    db = client.db(stack().env.MONGODB_DB);
    [ana, ben] = (await Promise.all(["Ana Pairs", "Ben Pairs"].map((n) => createUser(stack(), n)))) as [TestUser, TestUser];
    direct = await openDirect(ana, ben);
  });

  after(async () => {
    await client?.close();
    for (const s of stacks) await s.stop();
  });

  const phraseTexts = ["Looks good to me", "that looks good, ship it"];
  const decoys = ["good looks are not enough", "looks fine and good"];

  it("a new database files every message under its pairs of words, from the start of time", async () => {
    const socket = await connect(stack(), { token: ana.token });
    for (const text of [...phraseTexts, ...decoys]) await send(socket, text);
    socket.disconnect();
    await indexed();
    assert.deepEqual((await mark())?.getTime(), 0);
    const filed = await postings().find({ w: "loo goo" }).toArray();
    assert.equal(filed.length, phraseTexts.length, "only the messages where the words follow each other");
    assert.deepEqual(await search(ben, '"looks good"'), [...phraseTexts].sort());
    assert.deepEqual(await search(ben, '"looks go"'), [...phraseTexts].sort(), "the last word by prefix");
  });

  it("read by its pair: where the mark says pairs are filed, a posting without them is not found", async () => {
    // The control that shows the pair is what is read: strip the pairs and keep the mark (a lie no real index tells).
    await forgetPairs();
    await restart();
    assert.deepEqual(await search(ben, '"looks good"'), []);
    assert.equal((await search(ben, "looks good")).length, 4, "words alone are still read by the words");
  });

  it("after an upgrade, older postings are found by their words; the rebuild files their pairs and moves the mark back", async () => {
    // As the previous version leaves the database: no pairs, no mark.
    await db.collection("singletons").deleteOne({ _id: "searchPairs" as never });
    await restart();
    const socket = await connect(stack(), { token: ana.token });
    await send(socket, "still looks good after the upgrade");
    socket.disconnect();
    await indexed();
    // The first process to write set the mark: from a while after now, since the index held postings without pairs.
    const upgraded = (await mark())!.getTime();
    assert.ok(upgraded > Date.now() + 5 * 60_000 && upgraded < Date.now() + 15 * 60_000, new Date(upgraded).toISOString());
    assert.deepEqual(await search(ben, '"looks good"'), [...phraseTexts, "still looks good after the upgrade"].sort());
    assert.equal(await postings().countDocuments({ w: "loo goo" }), 1, "the new message is filed under its pairs");

    await rebuild();
    assert.equal((await mark())?.getTime(), 0);
    assert.equal(await postings().countDocuments({ w: "loo goo" }), 3);
    await restart();
    assert.deepEqual(await search(ben, '"looks good"'), [...phraseTexts, "still looks good after the upgrade"].sort());
  });
});
