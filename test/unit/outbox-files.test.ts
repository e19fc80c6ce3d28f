// The outbox with files: uploads before the message, each file once even across a reload, in the
// conversation's order, with progress, Cancel, and the server's refusals. Against a small
// in-process server that stores uploads and messages as the real one does (by clientMsgId).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Ack } from "../../lib/realtime/events";
import { MemoryOutboxStore, Outbox, type OutboxFile, type OutboxItemState, type RetryPolicy, type SendInput, type UploadProgress } from "../../lib/client/outbox";
import { forgetStaleUploads, uploadActivity } from "../../lib/client/outbox-files";
import type { FileDto, MessageDto } from "../../lib/schemas/dto";

const ME = "0000000000000000000000a1";
const C1 = "0000000000000000000000c1";
const fast: RetryPolicy = { baseDelayMs: 1, maxDelayMs: 5, attemptsBeforeFailed: 4, restMs: 60_000, random: () => 0.5 };

type UploadFault = "network" | "unavailable" | "too-large" | "hang" | "ok";

class FakeServer {
  readonly files: FileDto[] = [];
  readonly uploads: string[] = [];
  readonly stored: { clientMsgId: string; text: string; attachments: string[] }[] = [];
  faults: UploadFault[] = [];
  /** Aborted uploads, by file name. */
  readonly aborted: string[] = [];

  upload = async (file: OutboxFile, { signal, onProgress }: { signal: AbortSignal; onProgress: (loaded: number) => void }): Promise<Ack<{ file: FileDto }>> => {
    this.uploads.push(file.name);
    const fault = this.faults.shift() ?? "ok";
    if (fault === "network") throw new TypeError("Failed to fetch");
    if (fault === "unavailable") return { ok: false, error: { code: "UNAVAILABLE", message: "HTTP 503", retryable: true } };
    if (fault === "too-large") return { ok: false, error: { code: "TOO_LARGE", message: "Files are at most 25 MB", retryable: false } };
    // Four chunks, each a tick apart; "hang" stops after the first, until aborted.
    for (let sent = 1; sent <= 4; sent += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (signal.aborted) {
        this.aborted.push(file.name);
        throw new DOMException("aborted", "AbortError");
      }
      onProgress(Math.round((file.size * sent) / 4));
      if (fault === "hang") {
        await new Promise<void>((_, reject) => signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
      }
    }
    const dto: FileDto = { id: `f${this.files.length}`, name: file.name, type: file.type, size: file.size, kind: "file" };
    this.files.push(dto);
    return { ok: true, data: { file: dto } };
  };

  send = async (input: SendInput): Promise<Ack<{ message: MessageDto }>> => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    let message = this.stored.find((m) => m.clientMsgId === input.clientMsgId);
    if (!message) this.stored.push((message = { clientMsgId: input.clientMsgId, text: input.text, attachments: input.attachments ?? [] }));
    const seq = this.stored.indexOf(message) + 1;
    return {
      ok: true,
      data: {
        message: { id: `m${seq}`, conversationId: input.conversationId, seq, version: seq, senderId: ME, senderName: "Me", clientMsgId: input.clientMsgId, kind: "text", text: input.text, replyTo: null, replyPreview: null, mentions: [], createdAt: new Date().toISOString(), editedAt: null, deletedAt: null, reactions: [], pinnedAt: null, pinnedBy: null },
      },
    };
  };
}

function setup(server: FakeServer, store = new MemoryOutboxStore(), uploadsKeptMs?: number) {
  const sent: string[] = [];
  const discarded: string[] = [];
  const states = new Map<string, OutboxItemState>();
  const progress = new Map<string, (UploadProgress | null)[]>();
  const outbox = new Outbox({
    userId: ME,
    store,
    policy: fast,
    ...(uploadsKeptMs === undefined ? {} : { uploadsKeptMs }),
    transport: { socketUp: () => true, offline: () => false, send: (input) => server.send(input), upload: server.upload },
    listener: {
      changed: (entry, state) => states.set(entry.clientMsgId, state),
      sent: (entry) => sent.push(entry.clientMsgId),
      discarded: (entry) => discarded.push(entry.clientMsgId),
      uploading: (entry, p) => progress.set(entry.clientMsgId, [...(progress.get(entry.clientMsgId) ?? []), p]),
    },
  });
  return { outbox, sent, discarded, states, progress, store };
}

let ids = 0;
const id = () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, "0")}`;

const file = (name: string, size = 1000, type = "image/png"): OutboxFile => ({ blob: new Blob([new Uint8Array(size)], { type }), name, type, size });

async function until(check: () => boolean, ms = 2_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe("outbox with files", () => {
  it("uploads again what waited unsent longer than the server keeps uploads, and sends the new ids", async () => {
    const server = new FakeServer();
    const store = new MemoryOutboxStore();
    const clientMsgId = id();
    const hourAgo = Date.now() - 60 * 60 * 1000;
    // Left by an earlier page: one file uploaded an hour ago (swept by now), one a moment ago.
    const old = { ...file("old.png"), uploaded: { id: "gone", name: "old.png", type: "image/png", size: 1000, kind: "image" as const }, uploadedAt: hourAgo };
    const fresh = { ...file("fresh.png"), uploaded: { id: "kept", name: "fresh.png", type: "image/png", size: 1000, kind: "image" as const }, uploadedAt: Date.now() };
    await store.put({ clientMsgId, userId: ME, conversationId: C1, text: "", files: [old, fresh], createdAt: new Date().toISOString(), order: 1 });
    const { outbox, sent } = setup(server, store, 30 * 60 * 1000);
    await outbox.start();
    await until(() => sent.length === 1);
    assert.deepEqual(server.uploads, ["old.png"], "only the stale one goes again");
    assert.deepEqual(server.stored, [{ clientMsgId, text: "", attachments: ["f0", "kept"] }]);
  });

  it("forgets only uploads older than the server keeps them", () => {
    const now = 1_000_000;
    const files = [
      { ...file("a.png"), uploaded: { id: "a", name: "a.png", type: "image/png", size: 1, kind: "image" as const }, uploadedAt: now - 5_000 },
      { ...file("b.png"), uploaded: { id: "b", name: "b.png", type: "image/png", size: 1, kind: "image" as const }, uploadedAt: now - 500 },
      file("c.png"),
    ];
    assert.equal(forgetStaleUploads(files, 10_000, now), null, "nothing stale: nothing to do");
    const refreshed = forgetStaleUploads(files, 1_000, now)!;
    assert.deepEqual(refreshed.map((f) => f.uploaded?.id ?? null), [null, "b", null]);
    assert.equal(refreshed[0]!.blob, files[0]!.blob, "the bytes stay");
  });

  it("uploads each file once, in order, then sends the message with their ids as its attachments", async () => {
    const server = new FakeServer();
    const { outbox, sent } = setup(server);
    const clientMsgId = id();
    await outbox.add({ clientMsgId, conversationId: C1, text: "", files: [file("a.png"), file("b.png"), file("c.pdf", 10, "application/pdf")] });
    await until(() => sent.length === 1);
    assert.deepEqual(server.uploads, ["a.png", "b.png", "c.pdf"]);
    assert.deepEqual(server.stored, [{ clientMsgId, text: "", attachments: ["f0", "f1", "f2"] }]);
  });

  it("keeps the conversation's order: a message with files holds back the ones written after it", async () => {
    const server = new FakeServer();
    const { outbox, sent } = setup(server);
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "before" });
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "look", files: [file("big.png", 100_000)] });
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "after" });
    await until(() => sent.length === 3);
    assert.deepEqual(server.stored.map((m) => m.text), ["before", "look", "after"]);
  });

  it("reports the bytes sent across the message's files, rising to the total, then the end of the upload", async () => {
    const server = new FakeServer();
    const { outbox, sent, progress } = setup(server);
    const clientMsgId = id();
    await outbox.add({ clientMsgId, conversationId: C1, text: "", files: [file("a.png", 400), file("b.png", 600)] });
    await until(() => sent.length === 1);
    const reports = progress.get(clientMsgId)!;
    assert.equal(reports.at(-1), null);
    const steps = reports.slice(0, -1).map((p) => p!.loaded);
    assert.ok(reports.slice(0, -1).every((p) => p!.total === 1000));
    assert.deepEqual(steps, [...steps].sort((x, y) => x - y), "never goes back");
    assert.equal(steps[0], 0);
    assert.equal(steps.at(-1), 1000);
    assert.ok(steps.includes(400 + 150), "the second file's first chunk counts on top of the first file");
  });

  it("after a reload mid-upload, uploads only the files that had not finished, and sends the message once", async () => {
    const server = new FakeServer();
    const store = new MemoryOutboxStore();
    server.faults = ["ok", "hang"];
    const before = setup(server, store);
    const clientMsgId = id();
    await before.outbox.add({ clientMsgId, conversationId: C1, text: "two photos", files: [file("one.png"), file("two.png"), file("three.png")] });
    await until(() => server.uploads.length === 2);
    // The page goes away while the second file uploads.
    before.outbox.stop();
    const [left] = await store.load(ME);
    assert.deepEqual(left?.files?.map((f) => f.uploaded?.id ?? null), ["f0", null, null], "the finished upload was stored with the entry");
    const after = setup(server, store);
    await after.outbox.start();
    await until(() => after.sent.length === 1);
    assert.deepEqual(server.uploads, ["one.png", "two.png", "two.png", "three.png"]);
    assert.deepEqual(server.stored, [{ clientMsgId, text: "two photos", attachments: ["f0", "f1", "f2"] }]);
    assert.deepEqual(await store.load(ME), []);
  });

  it("Cancel during the upload aborts it, forgets the message, and the next one goes", async () => {
    const server = new FakeServer();
    server.faults = ["hang"];
    const { outbox, sent, discarded, store } = setup(server);
    const cancelled = id();
    await outbox.add({ clientMsgId: cancelled, conversationId: C1, text: "never mind", files: [file("huge.png", 10_000)] });
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "next" });
    await until(() => server.uploads.length === 1);
    assert.equal(await outbox.cancel(cancelled), true);
    await until(() => sent.length === 1);
    assert.deepEqual(server.aborted, ["huge.png"]);
    assert.deepEqual(discarded, [cancelled]);
    assert.deepEqual(server.stored.map((m) => m.text), ["next"]);
    assert.deepEqual(await store.load(ME), []);
    assert.equal(outbox.pending().length, 0);
  });

  it("a file the server refuses (too large) fails the message for good with the server's words, and the queue goes on", async () => {
    const server = new FakeServer();
    server.faults = ["ok", "too-large"];
    const { outbox, sent, states, progress } = setup(server);
    const refused = id();
    await outbox.add({ clientMsgId: refused, conversationId: C1, text: "", files: [file("ok.png"), file("huge.mov", 10, "video/quicktime")] });
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "next" });
    await until(() => sent.length === 1);
    assert.deepEqual(states.get(refused), { status: "failed", error: "Files are at most 25 MB", retryable: false, attempts: 1 });
    assert.equal(progress.get(refused)?.at(-1), null, "the upload is over");
    assert.deepEqual(server.stored.map((m) => m.text), ["next"]);
    assert.equal(await outbox.cancel(refused), true, "a failed message can be cancelled too");
  });

  it("retries a network failure and a 503 with backoff, uploading every file once in the end", async () => {
    const server = new FakeServer();
    server.faults = ["network", "ok", "unavailable"];
    const { outbox, sent } = setup(server);
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "", files: [file("a.png"), file("b.png")] });
    await until(() => sent.length === 1);
    assert.deepEqual(server.uploads, ["a.png", "a.png", "b.png", "b.png"]);
    assert.deepEqual(server.files.map((f) => f.name), ["a.png", "b.png"]);
    assert.deepEqual(server.stored[0]?.attachments, ["f0", "f1"]);
  });

  it("says what is being sent: photos, a video, audio, or files when mixed", () => {
    assert.equal(uploadActivity([{ type: "image/png" }, { type: "image/jpeg" }]), "photo");
    assert.equal(uploadActivity([{ type: "video/mp4" }]), "video");
    assert.equal(uploadActivity([{ type: "audio/ogg" }]), "audio");
    assert.equal(uploadActivity([{ type: "image/png" }, { type: "application/pdf" }]), "file");
    assert.equal(uploadActivity([]), "file");
  });
});
