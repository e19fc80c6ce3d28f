// Images and files, on both storage backends (GridFS and a directory), through the real routes,
// sockets and database: what a member sees and reads, who reads nothing, what a delete and the
// sweep remove, what survives a restart, and hostile uploads (refused or made harmless, nothing
// half-stored, the server up).
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import sharp from "sharp";
import type { FileDto, MessageDto } from "../../lib/schemas/dto";
import { gifHtmlPolyglot, htmlPage, pdf, photoWithExif, png, pngBomb, svgWithScript, upload, uploaded } from "../support/files";
import { startStack, type Stack } from "../support/stack";
import { collect, createUser, emitAck, openDirect, signIn, sleep, socketPool, waitFor, type TestUser } from "../support/users";

const LIMIT = 2 * 1024 * 1024;
const QUOTA = 8 * 1024 * 1024;
const SWEEP_SECONDS = 10;

const sha = (bytes: Buffer | Uint8Array) => createHash("sha256").update(bytes).digest("hex");

for (const backend of ["gridfs", "directory"] as const) {
  describe(`files (${backend})`, { timeout: 300_000 }, () => {
    let stack: Stack;
    let db: MongoClient;
    let dir: string;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let direct: string;
    const pool = socketPool(() => stack);
    const env = () => ({
      FILE_STORAGE: backend === "gridfs" ? "gridfs" : `fs:${dir}`,
      FILE_MAX_BYTES: String(LIMIT),
      FILE_QUOTA_BYTES: String(QUOTA),
      FILE_UNATTACHED_SECONDS: String(SWEEP_SECONDS),
    });

    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), "parley-files-"));
      stack = await startStack({ env: env() });
      db = new MongoClient(stack.mongoUri);
      await db.connect();
      [alice, bob, carol] = (await Promise.all(["Alice", "Bob", "Carol"].map((n) => createUser(stack, `${n} Files`)))) as [TestUser, TestUser, TestUser];
      direct = await openDirect(alice, bob);
    });

    after(async () => {
      pool.closeAll();
      await db?.close();
      await stack?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    const database = () => db.db(stack.env.MONGODB_DB);
    const send = async (user: TestUser, conversationId: string, attachments: string[], text?: string) => {
      const socket = await pool.open(user);
      return emitAck<{ message: MessageDto }>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), attachments, ...(text === undefined ? {} : { text }) });
    };
    const sent = async (user: TestUser, conversationId: string, attachments: string[], text?: string) => {
      const ack = await send(user, conversationId, attachments, text);
      assert.ok(ack.ok, JSON.stringify(ack));
      return ack.data.message;
    };
    const get = (user: TestUser, url: string, headers: Record<string, string> = {}) => user.api(url, { headers });
    const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());
    /** Every blob the backend holds, by key. */
    const blobKeys = async (): Promise<string[]> => {
      if (backend === "gridfs") return (await database().collection("blobs.files").find({}).toArray()).map((doc) => String(doc._id)).sort();
      const keys: string[] = [];
      for (const sub of await readdir(dir).catch(() => [])) keys.push(...(await readdir(path.join(dir, sub))));
      return keys.sort();
    };
    /** What the files collection says should be stored. */
    const expectedKeys = async (): Promise<string[]> => {
      const docs = await database().collection("files").find({}).toArray();
      return docs.flatMap((doc) => [String(doc._id), ...Object.keys(doc.variants as object).map((v) => `${String(doc._id)}.${v}`)]).sort();
    };
    const assertNothingHalfStored = async () => {
      assert.deepEqual(await blobKeys(), await expectedKeys(), "every blob belongs to a file, and every file has its blobs");
      if (backend === "gridfs") {
        const owners = await database().collection("blobs.chunks").distinct("files_id");
        const files = new Set((await database().collection("blobs.files").find({}).toArray()).map((doc) => String(doc._id)));
        assert.ok(owners.every((id) => files.has(String(id))), "no chunks without their blob");
      } else {
        assert.deepEqual((await blobKeys()).filter((key) => key.endsWith(".part")), [], "no partial files");
      }
    };

    it("an image is sniffed, turned upright, thumbnailed without its metadata, reaches the other member live and downloads byte-identical", async () => {
      const photo = await photoWithExif(1200, 800);
      const bobSocket = await pool.open(bob);
      const heard = collect<{ message: MessageDto }>(bobSocket, "message:created");
      // The name says PDF and the declared type says so too: the content decides.
      const file = await uploaded(alice, photo, "holiday.pdf");
      assert.equal(file.type, "image/jpeg");
      assert.equal(file.kind, "image");
      assert.deepEqual([file.width, file.height], [800, 1200], "EXIF orientation 6: shown a quarter turned");
      assert.equal(file.size, photo.length);

      const message = await sent(alice, direct, [file.id], "  ");
      assert.equal(message.text, "", "a blank caption is no caption");
      assert.deepEqual(message.attachments, [file]);
      const live = await waitFor(() => heard.find((event) => event.message.id === message.id), { what: "message:created" });
      assert.deepEqual(live.message.attachments, [file]);
      const list = (await (await alice.api("/api/conversations")).json()) as { conversations: { id: string; lastMessage: { preview: string } }[] };
      assert.equal(list.conversations.find((c) => c.id === direct)?.lastMessage.preview, "📷 Photo");

      const thumbnail = await get(bob, `/api/files/${file.id}/thumbnail`);
      assert.equal(thumbnail.status, 200);
      assert.equal(thumbnail.headers.get("content-type"), "image/webp");
      assert.match(thumbnail.headers.get("content-disposition") ?? "", /^inline/);
      const thumbMeta = await sharp(await bytesOf(thumbnail)).metadata();
      assert.equal(thumbMeta.format, "webp");
      assert.deepEqual([thumbMeta.width, thumbMeta.height], [427, 640], "upright, longest side 640");
      assert.equal(thumbMeta.exif, undefined, "no EXIF (no GPS, no artist) in what is shown");
      const preview = await get(bob, `/api/files/${file.id}/preview`);
      const previewMeta = await sharp(await bytesOf(preview)).metadata();
      assert.deepEqual([previewMeta.width, previewMeta.height, previewMeta.exif], [800, 1200, undefined], "never enlarged");

      const original = await get(bob, `/api/files/${file.id}`);
      assert.equal(original.status, 200);
      assert.match(original.headers.get("content-disposition") ?? "", /^attachment; filename="holiday.pdf"/);
      assert.equal(sha(await bytesOf(original)), sha(photo), "the download is the upload, byte for byte");
    });

    it("serves ranges and conditional requests, with the headers that keep any file from acting as a page", async () => {
      const bytes = randomBytes(300_000);
      const file = await uploaded(alice, bytes, "data.bin");
      assert.equal(file.type, "application/octet-stream");
      await sent(alice, direct, [file.id]);
      const url = `/api/files/${file.id}`;
      const whole = await get(bob, url);
      assert.equal(whole.headers.get("x-content-type-options"), "nosniff");
      assert.match(whole.headers.get("content-security-policy") ?? "", /^sandbox/);
      assert.match(whole.headers.get("cache-control") ?? "", /private/);
      assert.equal(whole.headers.get("accept-ranges"), "bytes");
      const etag = whole.headers.get("etag");
      assert.ok(etag);
      await whole.arrayBuffer();

      const part = await get(bob, url, { range: "bytes=100000-100099" });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get("content-range"), `bytes 100000-100099/${bytes.length}`);
      assert.ok((await bytesOf(part)).equals(bytes.subarray(100_000, 100_100)));
      const tail = await get(bob, url, { range: "bytes=-10" });
      assert.ok((await bytesOf(tail)).equals(bytes.subarray(bytes.length - 10)));
      const open = await get(bob, url, { range: "bytes=299990-" });
      assert.ok((await bytesOf(open)).equals(bytes.subarray(299_990)));
      const beyond = await get(bob, url, { range: `bytes=${bytes.length}-` });
      assert.equal(beyond.status, 416);
      assert.equal(beyond.headers.get("content-range"), `bytes */${bytes.length}`);
      const cached = await get(bob, url, { "if-none-match": etag });
      assert.equal(cached.status, 304);
      const stale = await get(bob, url, { range: "bytes=0-9", "if-range": '"something-else"' });
      assert.equal(stale.status, 200, "If-Range that does not match: the whole file");
      await stale.arrayBuffer();
    });

    it("only members read a file: before sending its uploader alone; strangers and removed members get 404 even with the link", async () => {
      const file = await uploaded(alice, await png(), "secret.png");
      const links = [`/api/files/${file.id}`, `/api/files/${file.id}/thumbnail`, `/api/files/${file.id}/preview`];
      for (const link of links) {
        assert.equal((await get(alice, link)).status, 200, `the uploader reads ${link} before sending`);
        assert.equal((await get(bob, link)).status, 404, `nobody else reads an unsent upload: ${link}`);
      }
      const group = (await (await alice.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Files group", memberIds: [bob.id, carol.id] }) })).json()) as { conversation: { id: string } };
      await sent(alice, group.conversation.id, [file.id]);
      for (const link of links) assert.equal((await get(carol, link)).status, 200, `a member reads ${link}`);
      const stranger = await createUser(stack, "Stranger Files");
      const elsewhere = await openDirect(stranger, carol);
      assert.ok(elsewhere);
      assert.equal((await alice.api(`/api/conversations/${group.conversation.id}/members/${carol.id}`, { method: "DELETE" })).status, 204);
      for (const link of [...links, `/api/files/${file.id}?download=1`]) {
        for (const [who, user] of [["stranger", stranger], ["removed member", carol]] as const) {
          const response = await get(user, link);
          assert.equal(response.status, 404, `${who}: ${link}`);
          assert.deepEqual(await response.json(), { error: { code: "NOT_FOUND", message: "File not found", retryable: false } });
        }
      }
      assert.equal((await fetch(`${stack.webUrl}${links[0]!}`)).status, 401, "signed out");
      for (const bad of ["nothex", "0".repeat(24), `${file.id}%2Fthumbnail`, `${file.id}/original`, `${file.id}/thumbnail/x`]) {
        assert.equal((await get(alice, `/api/files/${bad}`)).status, 404, bad);
      }
    });

    it("delete for everyone removes the files for everyone, their bytes and their quota", async () => {
      const used = async () => ((await database().collection("users").findOne({ email: alice.email })) as { storageBytes?: number } | null)?.storageBytes ?? 0;
      const before = await used();
      const image = await uploaded(alice, await png(300, 200), "gone.png");
      const doc = await uploaded(alice, pdf(), "gone.pdf");
      assert.equal(doc.type, "application/pdf");
      assert.equal(doc.kind, "file");
      assert.ok((await used()) > before);
      const message = await sent(alice, direct, [image.id, doc.id], "two files");
      assert.equal((await get(bob, `/api/files/${doc.id}`)).status, 200);
      const socket = await pool.open(alice);
      const ack = await emitAck<{ message: MessageDto }>(socket, "message:delete", { messageId: message.id, for: "everyone" });
      assert.ok(ack.ok);
      assert.equal(ack.data.message.attachments, undefined);
      for (const id of [image.id, doc.id]) {
        for (const user of [alice, bob]) assert.equal((await get(user, `/api/files/${id}`)).status, 404);
        assert.equal((await get(bob, `/api/files/${id}/thumbnail`)).status, 404);
      }
      assert.equal(await used(), before, "the quota is given back");
      const history = (await (await bob.api(`/api/conversations/${direct}/messages`)).json()) as { messages: MessageDto[] };
      assert.equal(history.messages.find((m) => m.id === message.id)?.attachments, undefined);
      await assertNothingHalfStored();
    });

    it("a message carries its sender's unsent uploads only, each in one message, at most ten", async () => {
      const mine = await uploaded(alice, await png(), "a.png");
      const bobs = await uploaded(bob, await png(), "b.png");
      const refused = await send(alice, direct, [bobs.id]);
      assert.ok(!refused.ok && refused.error.code === "NOT_FOUND", JSON.stringify(refused));
      const missing = await send(alice, direct, ["0123456789abcdef01234567"]);
      assert.ok(!missing.ok && missing.error.code === "NOT_FOUND");
      const eleven = await send(alice, direct, Array.from({ length: 11 }, () => mine.id));
      assert.ok(!eleven.ok && eleven.error.code === "VALIDATION");
      const twice = await send(alice, direct, [mine.id, mine.id]);
      assert.ok(!twice.ok && twice.error.code === "VALIDATION");
      const empty = await send(alice, direct, []);
      assert.ok(!empty.ok && empty.error.code === "VALIDATION");
      const notMember = await send(carol, direct, [(await uploaded(carol, await png(), "c.png")).id]);
      assert.ok(!notMember.ok && notMember.error.code === "NOT_FOUND");

      // A retry of the same send (same clientMsgId) is the same message; another message cannot take the file.
      const socket = await pool.open(alice);
      const payload = { conversationId: direct, clientMsgId: randomUUID(), attachments: [mine.id], text: "once" };
      const first = await emitAck<{ message: MessageDto }>(socket, "message:send", payload);
      const again = await alice.api(`/api/conversations/${direct}/messages`, { method: "POST", body: JSON.stringify(payload) });
      assert.ok(first.ok);
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { message: MessageDto }).message.id, first.data.message.id);
      const stolen = await send(alice, direct, [mine.id]);
      assert.ok(!stolen.ok && stolen.error.code === "CONFLICT", JSON.stringify(stolen));
      const count = await database().collection("messages").countDocuments({ clientMsgId: payload.clientMsgId });
      assert.equal(count, 1);
    });

    it("typing says what is being sent", async () => {
      const [aliceSocket, bobSocket] = [await pool.open(alice), await pool.open(bob)];
      const heard = collect<{ activity?: string; typing: boolean }>(bobSocket, "typing");
      const ack = await emitAck(aliceSocket, "typing", { conversationId: direct, typing: true, activity: "photo" });
      assert.ok(ack.ok);
      await waitFor(() => heard.find((event) => event.activity === "photo" && event.typing), { what: "typing with activity" });
      const bad = await emitAck(aliceSocket, "typing", { conversationId: direct, typing: true, activity: "virus" });
      assert.ok(!bad.ok && bad.error.code === "VALIDATION");
    });

    it("hostile uploads are refused or made harmless, nothing is half-stored, and the server stays up", async () => {
      const mallory = await createUser(stack, "Mallory Files");
      const check = async (bytes: Buffer, name: string, expect: Partial<FileDto>) => {
        const file = await uploaded(mallory, bytes, name);
        for (const [key, value] of Object.entries(expect)) assert.deepEqual(file[key as keyof FileDto], value, `${name}: ${key}`);
        const served = await get(mallory, `/api/files/${file.id}`);
        assert.match(served.headers.get("content-disposition") ?? "", /^attachment/, `${name} downloads`);
        assert.equal(served.headers.get("x-content-type-options"), "nosniff");
        assert.match(served.headers.get("content-security-policy") ?? "", /sandbox/);
        assert.doesNotMatch(served.headers.get("content-type") ?? "", /html|svg|xml|javascript/);
        await served.arrayBuffer();
        assert.equal((await get(mallory, `/api/files/${file.id}/thumbnail`)).status, 404, `${name}: nothing decoded`);
        return file;
      };
      await check(svgWithScript(), "cute.svg", { kind: "file", type: "application/octet-stream" });
      await check(htmlPage(), "page.html", { kind: "file", type: "application/octet-stream" });
      await check(gifHtmlPolyglot(), "polyglot.gif", { kind: "file", type: "image/gif" });
      await check(pngBomb(), "bomb.png", { kind: "file", type: "image/png" });
      await check(Buffer.from("just text, declared as an image"), "fake.png", { kind: "file", type: "application/octet-stream" });

      const names: [string, string][] = [
        ["../../etc/passwd", "passwd"],
        ["..\\..\\windows\\win.ini", "win.ini"],
        ["a\u0000b.txt", "ab.txt"],
        ["invoice\u202Efdp.exe", "invoicefdp.exe"],
        ["...hidden", "hidden"],
        ["", "file"],
        [`${"x".repeat(1000)}.pdf`, `${"x".repeat(196)}.pdf`],
      ];
      for (const [raw, safe] of names) {
        const file = await uploaded(mallory, Buffer.from("n"), raw);
        assert.equal(file.name, safe, JSON.stringify(raw));
      }

      const empty = await upload(mallory, Buffer.alloc(0), "empty.txt");
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error?.message, "The file is empty");
      const overByOne = await upload(mallory, randomBytes(LIMIT + 1), "big.bin");
      assert.equal(overByOne.status, 413);
      assert.equal(overByOne.body.error?.code, "TOO_LARGE");
      assert.match(overByOne.body.error?.message ?? "", /at most 2 MB/);
      assert.equal((await upload(mallory, randomBytes(LIMIT), "exact.bin")).status, 201, "exactly the limit is fine");

      // Without a Content-Length (chunked): counted as it arrives, cut off past the limit.
      const chunked = await raw(stack, mallory.cookie, { chunks: 5, chunkBytes: 1024 * 1024 });
      assert.equal(chunked.status, 413);
      // A declared gigabyte: refused from its Content-Length before any of it is read.
      const started = Date.now();
      const gigabyte = await raw(stack, mallory.cookie, { declared: 1024 ** 3, chunks: 1, chunkBytes: 64 * 1024, keepOpen: true });
      assert.equal(gigabyte.status, 413);
      assert.ok(Date.now() - started < 5_000);
      // A body cut off midway (the client goes away): nothing stored.
      const cut = await raw(stack, mallory.cookie, { declared: LIMIT, chunks: 1, chunkBytes: LIMIT / 2, abort: true });
      assert.equal(cut.status, 0);

      await sleep(300);
      const docs = await database().collection("files").countDocuments({ ownerId: { $exists: true }, name: { $in: ["big.bin", "upload.bin"] } });
      assert.equal(docs, 0, "nothing refused was stored");
      await assertNothingHalfStored();
      const spool = await readdir(path.join(os.tmpdir(), "parley-uploads")).catch(() => []);
      assert.deepEqual(spool, [], "no temporary files left behind");
      assert.equal((await fetch(`${stack.webUrl}/api/health`)).status, 200, "the server is up");
    });

    it("a storage quota per person: past it, uploads are refused until files are deleted", async () => {
      const hoarder = await createUser(stack, "Hoarder Files");
      const conversation = await openDirect(hoarder, bob);
      const files: FileDto[] = [];
      for (let i = 0; i < 5; i += 1) files.push(await uploaded(hoarder, randomBytes(1536 * 1024), `part${i}.bin`));
      const full = await upload(hoarder, randomBytes(1536 * 1024), "one-too-many.bin");
      assert.equal(full.status, 413);
      assert.match(full.body.error?.message ?? "", /storage is full/);
      const message = await sent(hoarder, conversation, [files[0]!.id]);
      const socket = await pool.open(hoarder);
      assert.ok((await emitAck(socket, "message:delete", { messageId: message.id, for: "everyone" })).ok);
      assert.equal((await upload(hoarder, randomBytes(1536 * 1024), "room-again.bin")).status, 201);
    });

    it("unattached uploads are swept; the rest outlive a restart of every process", async () => {
      const kept = await uploaded(alice, await photoWithExif(400, 300), "kept.jpg");
      await sent(alice, direct, [kept.id]);
      const orphan = await uploaded(alice, await png(), "orphan.png");
      const deadline = Date.now() + (SWEEP_SECONDS + 15) * 1000;
      while (Date.now() < deadline && (await get(alice, `/api/files/${orphan.id}`)).status !== 404) await sleep(500);
      assert.equal((await get(alice, `/api/files/${orphan.id}`)).status, 404, "swept");
      await assertNothingHalfStored();

      const data = stack.data;
      await stack.stop({ keepData: true });
      stack = await startStack({ data, env: env() });
      await db.close();
      db = new MongoClient(stack.mongoUri);
      await db.connect();
      bob = await signIn(stack, bob);
      const original = await get(bob, `/api/files/${kept.id}`);
      assert.equal(original.status, 200);
      assert.equal((await bytesOf(original)).length, kept.size);
      assert.equal((await get(bob, `/api/files/${kept.id}/thumbnail`)).status, 200);
    });
  });
}

/**
 * An upload over a raw connection: `declared` as its Content-Length (chunked when absent), then
 * `chunks` of `chunkBytes`; `abort` destroys the connection after them. Resolves with the status
 * (0 when there was no answer).
 */
function raw(stack: Stack, cookie: string, options: { declared?: number; chunks: number; chunkBytes: number; abort?: boolean; keepOpen?: boolean }): Promise<{ status: number }> {
  return new Promise((resolve) => {
    const url = new URL("/api/uploads?name=upload.bin", stack.webUrl);
    const headers: Record<string, string> = { cookie, "content-type": "application/octet-stream" };
    if (options.declared !== undefined) headers["content-length"] = String(options.declared);
    const request = http.request(url, { method: "POST", headers });
    let settled = false;
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      request.destroy();
      resolve({ status });
    };
    request.on("response", (response) => {
      response.resume();
      finish(response.statusCode ?? 0);
    });
    request.on("error", () => finish(0));
    void (async () => {
      for (let i = 0; i < options.chunks && !settled; i += 1) {
        const ok = request.write(randomBytes(options.chunkBytes));
        if (!ok) await new Promise((r) => request.once("drain", r));
      }
      if (options.abort) {
        await sleep(200);
        finish(0);
      } else if (!options.keepOpen) request.end();
    })();
  });
}
