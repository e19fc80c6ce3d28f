import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { messagePreview } from "../../lib/chat/dto";
import { parseRange } from "../../lib/files/http";
import { contentDisposition, FILE_NAME_MAX, safeFileName } from "../../lib/files/names";
import { formatBytes } from "../../lib/files/spool";

describe("file names", () => {
  it("keep the last part of a path, without controls, direction overrides or reserved characters", () => {
    assert.equal(safeFileName("../../etc/passwd"), "passwd");
    assert.equal(safeFileName("C:\\Users\\ana\\cv.pdf"), "cv.pdf");
    assert.equal(safeFileName("a\u0000b\u0007c.txt"), "abc.txt");
    assert.equal(safeFileName("invoice\u202Efdp.exe"), "invoicefdp.exe");
    assert.equal(safeFileName("\u2066x\u2069.png"), "x.png");
    assert.equal(safeFileName('what?*:<>|".txt'), "what_______.txt");
    assert.equal(safeFileName("  many   spaces  .txt "), "many spaces .txt");
    assert.equal(safeFileName("..."), "file");
    assert.equal(safeFileName(null), "file");
    assert.equal(safeFileName("Café ñandú.jpg"), "Café ñandú.jpg");
  });

  it("are at most FILE_NAME_MAX characters, keeping the extension", () => {
    const long = safeFileName(`${"ä".repeat(1000)}.jpeg`);
    assert.equal([...long].length, FILE_NAME_MAX);
    assert.ok(long.endsWith(".jpeg"));
    assert.equal([...safeFileName("😀".repeat(500))].length, FILE_NAME_MAX, "counted in characters, never splitting a pair");
  });

  it("go into Content-Disposition as ASCII and as RFC 6266 UTF-8", () => {
    assert.equal(contentDisposition("attachment", 'résumé "final".pdf'), `attachment; filename="r_sum_ _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf`);
    assert.equal(contentDisposition("inline", "it's (1).mp4"), `inline; filename="it's (1).mp4"; filename*=UTF-8''it%27s%20%281%29.mp4`);
  });
});

describe("byte ranges", () => {
  it("serve one range of a file, a suffix, or an open end; past the end is unsatisfiable", () => {
    assert.deepEqual(parseRange("bytes=0-9", 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange("bytes=90-", 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange("bytes=-10", 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange("bytes=-500", 100), { start: 0, end: 99 });
    assert.deepEqual(parseRange("bytes=50-5000", 100), { start: 50, end: 99 });
    assert.equal(parseRange("bytes=100-", 100), "unsatisfiable");
    assert.equal(parseRange("bytes=-0", 100), "unsatisfiable");
  });

  it("send the whole file for what they do not serve", () => {
    for (const header of [null, "", "bytes=", "bytes=-", "bytes=9-0", "bytes=0-1,5-6", "items=0-1", "bytes=a-b"]) assert.equal(parseRange(header, 100), null, String(header));
  });
});

describe("the list's preview of a message with files", () => {
  const file = (kind: "image" | "video" | "audio" | "file", name = "x") => ({ kind, name });
  it("says what was sent, or shows the caption after an icon", () => {
    assert.equal(messagePreview({ text: "", attachments: [file("image")] }), "📷 Photo");
    assert.equal(messagePreview({ text: "", attachments: [file("image"), file("image"), file("image")] }), "📷 3 photos");
    assert.equal(messagePreview({ text: "look", attachments: [file("image")] }), "📷 look");
    assert.equal(messagePreview({ text: "", attachments: [file("file", "report.pdf")] }), "📎 report.pdf");
    assert.equal(messagePreview({ text: "", attachments: [file("image"), file("file")] }), "📎 2 files");
    assert.equal(messagePreview({ text: "", attachments: [file("video")] }), "🎥 Video");
    assert.equal(messagePreview({ text: "", attachments: [file("audio")] }), "🎵 Audio");
    assert.equal(messagePreview({ text: "plain" }), "plain");
  });
});

describe("sizes as people read them", () => {
  it("uses the units file managers show", () => {
    assert.equal(formatBytes(25 * 1024 * 1024), "25 MB");
    assert.equal(formatBytes(1536), "1.5 KB");
    assert.equal(formatBytes(512), "512 bytes");
    assert.equal(formatBytes(2 * 1024 ** 3), "2 GB");
  });
});
