// A room's membership changes reach everyone through a fixed number of broadcasts, whatever the
// room's size: one per audience (the room, the joiner's sockets, every socket's directory), never
// one per member.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { broadcastGroupChange, type Broadcaster, type Target } from "../../lib/fanout/fanout";
import type { ConversationDto, MemberDto, MessageDto, RoomDto } from "../../lib/schemas/dto";

function recorder() {
  const calls: string[] = [];
  const target = (rooms: string[], except: string[] = []): Target => ({
    except: (more) => target(rooms, [...except, ...(Array.isArray(more) ? more : [more])]),
    emit: (...args: unknown[]) => void calls.push(`emit ${String(args[0])} to ${rooms.length} rooms`),
    socketsJoin: () => void calls.push(`join ${rooms.length} rooms`),
    socketsLeave: () => void calls.push(`leave ${rooms.length} rooms`),
    disconnectSockets: () => void calls.push("disconnect"),
  });
  const io: Broadcaster = { to: (rooms) => target(Array.isArray(rooms) ? rooms : [rooms]), announceMembers: () => void calls.push("announce") };
  return { io, calls };
}

const id = (n: number) => n.toString(16).padStart(24, "0");
const members = (count: number): MemberDto[] => Array.from({ length: count }, (_, i) => ({ id: id(i + 1), name: `M${i}`, role: "member", deliveredSeq: 0, readSeq: 0 }));
const room = (count: number): RoomDto => ({ id: id(999), name: "R", topic: "", public: true, archived: false, listed: true, memberCount: count, lastActivityAt: "", createdAt: "" });

function joinOf(count: number) {
  const { io, calls } = recorder();
  const conversation = { id: id(999), kind: "room" as const, name: "R", members: members(count), room: { topic: "", public: true, archived: false, memberCount: count } };
  broadcastGroupChange(io, {
    conversation,
    added: [{ userId: id(count), conversation: conversation as unknown as ConversationDto }],
    removedUserIds: [],
    message: { id: id(5000), conversationId: id(999) } as MessageDto,
    room: room(count),
  });
  return calls;
}

describe("room fan-out", () => {
  it("announces a join to a room of 1,000 with the same broadcasts as to a room of 3", () => {
    const small = joinOf(3);
    const large = joinOf(1_000);
    assert.deepEqual(large, small);
    assert.ok(large.includes("emit room:updated to 1 rooms"), "the directory hears it once, on the everyone room");
    assert.ok(large.includes("emit room:joined to 1 rooms"));
    assert.ok(large.length <= 8, large.join("\n"));
  });
});
