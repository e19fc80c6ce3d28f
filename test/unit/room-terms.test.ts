import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { directoryQuery, nameTerms, normalisedWords, TERM_MAX } from "../../lib/chat/room-terms";
import { directoryFields, isListed } from "../../lib/chat/room-dto";
import { applyRoomEvent } from "../../lib/client/rooms-api";
import type { RoomDto } from "../../lib/schemas/dto";
import { createRoomSchema, updateRoomSchema } from "../../lib/schemas/room";

describe("room name terms", () => {
  it("folds case, accents and ß, and splits into words", () => {
    assert.deepEqual(normalisedWords("Café  Straße—Ünï 42"), ["cafe", "strasse", "uni", "42"]);
    assert.deepEqual(normalisedWords("🎉 !!"), []);
  });

  it("folds names as message search does, languages without spaces included", () => {
    assert.ok(normalisedWords("東京の勉強会 Straße").includes("strasse"));
    assert.ok(normalisedWords("東京の勉強会").includes("東京"));
    assert.ok(nameTerms("タイ語 สวัสดีครับ").includes("ครับ"));
  });

  it("stores every prefix of every word once, up to TERM_MAX characters", () => {
    assert.deepEqual(nameTerms("Go go"), ["g", "go"]);
    const long = nameTerms("a".repeat(40));
    assert.equal(long.length, TERM_MAX);
    assert.equal(long.at(-1), "a".repeat(TERM_MAX));
  });

  it("looks up the longest query word, cut to TERM_MAX, and requires every word to begin a word of the name", () => {
    assert.equal(directoryQuery("  "), null);
    const query = directoryQuery("stu HALL")!;
    assert.equal(query.term, "hall");
    assert.ok(query.matches("Study Hall"));
    assert.ok(!query.matches("Hall of fame"), "stu begins no word");
    const long = directoryQuery("x".repeat(30))!;
    assert.equal(long.term.length, TERM_MAX);
    assert.ok(!long.matches("x".repeat(20)), "the full word is still checked");
    assert.ok(directoryQuery("ÉCOLE")!.matches("ecole du soir"));
  });
});

describe("room directory fields", () => {
  it("lists public, unarchived rooms only, and removes the fields otherwise", () => {
    assert.equal(isListed({ visibility: "public", archivedAt: null }), true);
    assert.equal(isListed({ visibility: "public", archivedAt: new Date() }), false);
    assert.equal(isListed({ visibility: "private", archivedAt: null }), false);
    assert.deepEqual(directoryFields({ name: "Ab", visibility: "public", archivedAt: null }), { listed: true, nameTerms: ["a", "ab"] });
    assert.deepEqual(directoryFields({ name: "Ab", visibility: "private", archivedAt: null }), { listed: undefined, nameTerms: undefined });
  });
});

describe("room schemas", () => {
  it("trims names, defaults topic and public, and refuses blank, long and non-string values", () => {
    assert.deepEqual(createRoomSchema.parse({ name: "  Den  " }), { name: "Den", topic: "", public: true });
    for (const name of ["", "\u200b", "n".repeat(81), 5, null, { $gt: "" }]) assert.equal(createRoomSchema.safeParse({ name }).success, false, JSON.stringify(name));
    assert.equal(createRoomSchema.safeParse({ name: "Den", topic: "t".repeat(251) }).success, false);
    assert.equal(createRoomSchema.safeParse({ name: "Den", public: "true" }).success, false);
  });

  it("needs at least one change in an update", () => {
    const conversationId = "0".repeat(24);
    assert.equal(updateRoomSchema.safeParse({ conversationId }).success, false);
    assert.equal(updateRoomSchema.safeParse({ conversationId, archived: true }).success, true);
    assert.equal(updateRoomSchema.safeParse({ conversationId, topic: "" }).success, true);
  });
});

describe("the directory's live events", () => {
  const room = (id: string, extra: Partial<RoomDto> = {}): RoomDto => ({ id, name: id, topic: "", public: true, archived: false, listed: true, memberCount: 1, lastActivityAt: "", createdAt: "", ...extra });
  it("adds a new listed room first, updates a known one in place, and drops one that left the directory", () => {
    let rooms = applyRoomEvent([], room("a"), new Set());
    rooms = applyRoomEvent(rooms, room("b"), new Set(["b"]));
    assert.deepEqual(rooms.map((r) => [r.id, r.joined]), [["b", true], ["a", false]]);
    rooms = applyRoomEvent(rooms, room("a", { memberCount: 7 }), new Set());
    assert.deepEqual(rooms.map((r) => [r.id, r.memberCount]), [["b", 1], ["a", 7]]);
    rooms = applyRoomEvent(rooms, room("b", { listed: false, archived: true }), new Set());
    assert.deepEqual(rooms.map((r) => r.id), ["a"]);
    assert.equal(applyRoomEvent(rooms, room("z", { listed: false }), new Set()), rooms, "an unknown unlisted room changes nothing");
  });
});
