// The page Content-Security-Policy as production and development each need it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contentSecurityPolicy, makeNonce, socketSources } from "../../lib/security/headers";

const directive = (policy: string, name: string) => policy.split("; ").find((part) => part.startsWith(`${name} `));

describe("contentSecurityPolicy", () => {
  it("allows only nonce'd scripts in production, and the socket server in both of its forms", () => {
    const policy = contentSecurityPolicy({ nonce: "abc", socketUrl: "http://127.0.0.1:3001", appUrl: "http://127.0.0.1:3000", development: false });
    assert.equal(directive(policy, "script-src"), "script-src 'self' 'nonce-abc' 'strict-dynamic'");
    assert.equal(directive(policy, "style-src"), "style-src 'self' 'nonce-abc'");
    assert.equal(directive(policy, "connect-src"), "connect-src 'self' http://127.0.0.1:3001 ws://127.0.0.1:3001");
    assert.equal(directive(policy, "frame-ancestors"), "frame-ancestors 'none'");
    assert.ok(!policy.includes("unsafe-eval"));
    assert.ok(!policy.includes("upgrade-insecure-requests"), "plain-HTTP loopback must not be upgraded");
  });

  it("adds eval and inline <style> for next dev only", () => {
    const policy = contentSecurityPolicy({ nonce: "abc", socketUrl: "http://localhost:3001", appUrl: "http://localhost:3000", development: true });
    assert.equal(directive(policy, "script-src"), "script-src 'self' 'nonce-abc' 'strict-dynamic' 'unsafe-eval'");
    assert.equal(directive(policy, "style-src"), "style-src 'self' 'unsafe-inline'");
  });

  it("uses wss and upgrades requests when served over TLS", () => {
    assert.deepEqual(socketSources("https://rt.example.com"), ["https://rt.example.com", "wss://rt.example.com"]);
    const policy = contentSecurityPolicy({ nonce: "abc", socketUrl: "https://rt.example.com", appUrl: "https://chat.example.com", development: false });
    assert.ok(policy.endsWith("; upgrade-insecure-requests"));
  });

  it("makes a different nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, makeNonce));
    assert.equal(nonces.size, 100);
    assert.match([...nonces][0]!, /^[A-Za-z0-9+/]{22}==$/);
  });
});
