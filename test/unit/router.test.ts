// The socket server's event router (socket-server/handlers/router.ts), without a server.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Ack } from "../../lib/realtime/events";
import { createRouter, type Route } from "../../socket-server/handlers/router";
import type { ParleySocket } from "../../socket-server/types";

const echo: Route = { handle: async (_socket, payload) => ({ echoed: payload }) };

describe("createRouter", () => {
  it("refuses two routes for one event", () => {
    assert.throws(() => createRouter({ "message:send": echo }, { "message:send": echo }), /two routes for the event "message:send"/);
  });

  it("answers an unknown event with NOT_FOUND, and names from Object.prototype are unknown too", async () => {
    const route = createRouter({ sync: echo });
    const socket = { data: { userId: "65f000000000000000000001", name: "Ana", scopes: ["read", "write"] } } as unknown as ParleySocket;
    for (const event of ["nope", "constructor", "__proto__", "hasOwnProperty"]) {
      const ack = await new Promise<Ack<unknown>>((resolve) => route.call(socket, event, {}, resolve));
      assert.equal(ack.ok, false, event);
      if (!ack.ok) assert.equal(ack.error.code, "NOT_FOUND", event);
    }
  });

  it("refuses an event a read-only token may not send, before it runs or spends a rate limit", async () => {
    let ran = 0;
    const write: Route = { handle: async () => ++ran };
    const route = createRouter({ "message:send": write, "room:join": { ...write, scope: "write" } });
    const socket = { data: { userId: "65f000000000000000000001", name: "Bot", scopes: ["read"], tokenId: "65f000000000000000000002" } } as unknown as ParleySocket;
    for (const event of ["message:send", "room:join"]) {
      const ack = await new Promise<Ack<unknown>>((resolve) => route.call(socket, event, {}, resolve));
      assert.equal(ack.ok, false, event);
      if (!ack.ok) assert.deepEqual(ack.error, { code: "FORBIDDEN", message: 'This token does not have the "write" scope', retryable: false });
    }
    assert.equal(ran, 0);
  });
});
