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
    const socket = { data: { userId: "65f000000000000000000001", name: "Ana" } } as unknown as ParleySocket;
    for (const event of ["nope", "constructor", "__proto__", "hasOwnProperty"]) {
      const ack = await new Promise<Ack<unknown>>((resolve) => route.call(socket, event, {}, resolve));
      assert.equal(ack.ok, false, event);
      if (!ack.ok) assert.equal(ack.error.code, "NOT_FOUND", event);
    }
  });
});
