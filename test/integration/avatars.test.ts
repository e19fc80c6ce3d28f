// Profile pictures through the real routes and sockets: set, seen live by everyone who shares a
// conversation, served small and without metadata, replaced and removed without leftovers, and
// hostile pictures refused.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import sharp from "sharp";
import type { ConversationDto, ProfileDto, UserDto } from "../../lib/schemas/dto";
import { gifHtmlPolyglot, photoWithExif, png, pngBomb, svgWithScript } from "../support/files";
import { startStack, type Stack } from "../support/stack";
import { collect, createUser, openDirect, sleep, socketPool, waitFor, type TestUser } from "../support/users";

describe("profile pictures", { timeout: 120_000 }, () => {
  let stack: Stack;
  let db: MongoClient;
  let ana: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  const pool = socketPool(() => stack);

  before(async () => {
    stack = await startStack({ env: { FILE_MAX_BYTES: String(1024 * 1024) } });
    db = new MongoClient(stack.mongoUri);
    await db.connect();
    [ana, ben, cleo] = (await Promise.all(["Ana", "Ben", "Cleo"].map((n) => createUser(stack, `${n} Pictures`)))) as [TestUser, TestUser, TestUser];
    await openDirect(ana, ben);
  });

  after(async () => {
    pool.closeAll();
    await db?.close();
    await stack?.stop();
  });

  const put = async (user: TestUser, body: Buffer) => {
    const response = await user.api("/api/settings/avatar", { method: "PUT", body: body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/octet-stream" } });
    return { status: response.status, body: (await response.json()) as { avatar?: string | null; error?: { code: string; message: string } } };
  };
  const blobs = async () => (await db.db(stack.env.MONGODB_DB).collection("blobs.files").find({ _id: { $regex: `^avatar\\.${ana.id}\\.` } as never }).toArray()).length;

  it("is set, served as a small upright square without metadata, and seen live by those who share a conversation", async () => {
    const benSocket = await pool.open(ben);
    const cleoSocket = await pool.open(cleo);
    const benHeard = collect<{ user: ProfileDto }>(benSocket, "user:updated");
    const cleoHeard = collect<{ user: ProfileDto }>(cleoSocket, "user:updated");
    const set = await put(ana, await photoWithExif(900, 600));
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const version = set.body.avatar!;
    assert.match(version, /^[a-f0-9]{24}$/);
    const heard = await waitFor(() => benHeard.find((event) => event.user.id === ana.id), { what: "user:updated" });
    assert.deepEqual(heard.user, { id: ana.id, name: ana.name, avatar: version });
    await sleep(300);
    assert.deepEqual(cleoHeard, [], "nobody outside Ana's conversations is told");

    const picture = await cleo.api(`/api/users/${ana.id}/avatar?v=${version}`);
    assert.equal(picture.status, 200, "anyone signed in sees a picture, as they see a name");
    assert.equal(picture.headers.get("content-type"), "image/webp");
    assert.match(picture.headers.get("cache-control") ?? "", /immutable/);
    assert.equal(picture.headers.get("x-content-type-options"), "nosniff");
    const meta = await sharp(Buffer.from(await picture.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ["webp", 256, 256, undefined]);
    assert.equal((await fetch(`${stack.webUrl}/api/users/${ana.id}/avatar`)).status, 401, "signed out");

    const list = (await (await ben.api("/api/conversations")).json()) as { conversations: ConversationDto[] };
    assert.equal(list.conversations[0]!.members.find((m) => m.id === ana.id)?.avatar, version);
    const search = (await (await cleo.api(`/api/users?q=${encodeURIComponent("Ana Pictures")}`)).json()) as { users: UserDto[] };
    assert.equal(search.users.find((u) => u.id === ana.id)?.avatar, version);
    assert.equal(await blobs(), 1);
  });

  it("a new picture replaces the old one (and its bytes); removing it goes back to initials", async () => {
    const benSocket = await pool.open(ben);
    const heard = collect<{ user: ProfileDto }>(benSocket, "user:updated");
    const first = (await put(ana, await png(300, 300))).body.avatar!;
    const second = (await put(ana, await png(120, 400))).body.avatar!;
    assert.notEqual(first, second);
    assert.equal(await blobs(), 1, "the replaced picture's bytes are gone");
    const stale = await ben.api(`/api/users/${ana.id}/avatar?v=${first}`);
    assert.equal(stale.headers.get("cache-control"), "private, no-cache", "an old version's URL answers the current picture, uncached");
    await stale.arrayBuffer();
    const removed = await ana.api("/api/settings/avatar", { method: "DELETE" });
    assert.deepEqual(await removed.json(), { avatar: null });
    await waitFor(() => heard.find((event) => event.user.avatar === null), { what: "user:updated without a picture" });
    assert.equal((await ben.api(`/api/users/${ana.id}/avatar`)).status, 404);
    assert.equal(await blobs(), 0);
    const list = (await (await ben.api("/api/conversations")).json()) as { conversations: ConversationDto[] };
    assert.equal(list.conversations[0]!.members.find((m) => m.id === ana.id)?.avatar, undefined);
  });

  it("refuses what is not a picture it can read, and changes nothing", async () => {
    const cases: [string, Buffer, number, RegExp][] = [
      ["an SVG with a script", svgWithScript(), 400, /Choose a JPEG, PNG, GIF, WebP or AVIF picture/],
      ["a GIF that is also a page", gifHtmlPolyglot(), 400, /cannot be read/],
      ["a decompression bomb", pngBomb(), 400, /cannot be read/],
      ["nothing", Buffer.alloc(0), 400, /empty/],
      ["over the size limit", randomBytes(1024 * 1024 + 1), 413, /too large/],
    ];
    for (const [what, body, status, message] of cases) {
      const answer = await put(cleo, body);
      assert.equal(answer.status, status, what);
      assert.match(answer.body.error?.message ?? "", message, what);
    }
    const user = await db.db(stack.env.MONGODB_DB).collection("users").findOne({ email: cleo.email });
    assert.equal(user?.avatar ?? null, null);
    assert.equal((await fetch(`${stack.webUrl}/api/health`)).status, 200);
  });
});
