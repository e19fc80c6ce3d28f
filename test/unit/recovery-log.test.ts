// What the in-memory adapter keeps for connection state recovery (socket-server/recovery.ts):
// every broadcast a recovered client could be owed, and no presence, which is sent afresh on
// every connection and would only hold memory for two minutes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Server } from "socket.io";
import { keepPresenceOutOfRecovery } from "../../socket-server/recovery";
import type { ParleyServer } from "../../socket-server/types";

describe("the recovery log", () => {
  it("keeps every other broadcast, and no presence", async () => {
    const io = new Server({ connectionStateRecovery: { maxDisconnectionDuration: 60_000 } }) as unknown as ParleyServer;
    keepPresenceOutOfRecovery(io);
    const log = () => (io.of("/").adapter as unknown as { packets: { data: unknown[] }[] }).packets.map((packet) => packet.data[0]);
    const presence = { userId: "a".repeat(24), online: true, lastSeenAt: null };
    io.to("conv:1").emit("presence", presence);
    io.to("conv:1").emit("presence:snapshot", { users: [presence] });
    io.to("conv:1").emit("conversation:removed", { conversationId: "1" });
    io.to("user:a").emit("settings:updated", { settings: { readReceipts: false } });
    assert.deepEqual(log(), ["conversation:removed", "settings:updated"]);
  });
});
