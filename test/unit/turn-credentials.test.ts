// TURN credentials in coturn's REST scheme, and the ICE configuration the call route answers.
// The expected password was computed apart from this code, with
//   printf '%s' '1700043200:65a1b2c3d4e5f6a7b8c9d0e1' | openssl dgst -sha1 -hmac 'north-wind-secret-0123' -binary | base64
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { iceConfig, type IceSettings } from "../../lib/calls/ice-config";
import { mintTurnCredentials } from "../../lib/calls/turn-credentials";
import { iceConfigSchema } from "../../lib/schemas/ice";

const USER = "65a1b2c3d4e5f6a7b8c9d0e1";
const SECRET = "north-wind-secret-0123";
// 1700000000 + 12 h = 1700043200.
const NOW = new Date(1_700_000_000_000);

describe("mintTurnCredentials", () => {
  it("matches a vector computed with openssl", () => {
    const minted = mintTurnCredentials({ secret: SECRET, userId: USER, ttlSeconds: 12 * 60 * 60, now: NOW });
    assert.equal(minted.username, `1700043200:${USER}`);
    assert.equal(minted.credential, "mec/Kphw7VucxeI4KuogLp5itME=");
    assert.equal(minted.expiresAt.toISOString(), "2023-11-15T10:13:20.000Z");
  });

  it("counts the expiry from whole seconds, and a different secret or user gives a different password", () => {
    const minted = mintTurnCredentials({ secret: SECRET, userId: USER, ttlSeconds: 60, now: new Date(1_700_000_000_999) });
    assert.equal(minted.username, `1700000060:${USER}`);
    const other = mintTurnCredentials({ secret: `${SECRET}x`, userId: USER, ttlSeconds: 60, now: new Date(1_700_000_000_999) });
    assert.notEqual(other.credential, minted.credential);
    const otherUser = mintTurnCredentials({ secret: SECRET, userId: "65a1b2c3d4e5f6a7b8c9d0e2", ttlSeconds: 60, now: new Date(1_700_000_000_999) });
    assert.notEqual(otherUser.credential, minted.credential);
  });
});

describe("iceConfig", () => {
  const base: IceSettings = { ICE_SERVERS: [], ICE_TRANSPORT_POLICY: "all", TURN_TTL_SECONDS: 43_200 };

  it("without TURN: the configured servers as they are, and no expiry", () => {
    const stun = [{ urls: "stun:stun.example.org:3478" }];
    const config = iceConfig({ settings: { ...base, ICE_SERVERS: stun }, userId: USER, now: NOW });
    assert.deepEqual(config, { iceServers: stun, iceTransportPolicy: "all", expiresAt: null });
    assert.deepEqual(iceConfig({ settings: base, userId: USER, now: NOW }), { iceServers: [], iceTransportPolicy: "all", expiresAt: null });
  });

  it("with TURN: one more entry for every TURN URL, with this user's credentials, and their expiry", () => {
    const urls = ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"];
    const config = iceConfig({
      settings: { ...base, ICE_SERVERS: [{ urls: "stun:stun.example.org" }], TURN_SECRET: SECRET, TURN_URLS: urls, ICE_TRANSPORT_POLICY: "relay" },
      userId: USER,
      now: NOW,
    });
    assert.deepEqual(config, {
      iceServers: [{ urls: "stun:stun.example.org" }, { urls, username: `1700043200:${USER}`, credential: "mec/Kphw7VucxeI4KuogLp5itME=" }],
      iceTransportPolicy: "relay",
      expiresAt: "2023-11-15T10:13:20.000Z",
    });
    assert.ok(iceConfigSchema.safeParse(config).success, "the answer fits its own schema");
  });
});
