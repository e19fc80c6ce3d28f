// The page Content-Security-Policy as production and development each need it, and the
// Permissions-Policy that lets the call page, and only it, ask for the camera and microphone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CALL_PAGES, contentSecurityPolicy, makeNonce, permissionsPolicy, securityHeaderRules, socketSources } from "../../lib/security/headers";

const directive = (policy: string, name: string) => policy.split("; ").find((part) => part.startsWith(`${name} `));

describe("contentSecurityPolicy", () => {
  it("allows only nonce'd scripts in production, and the socket server in both of its forms", () => {
    const policy = contentSecurityPolicy({ nonce: "abc", socketUrl: "http://127.0.0.1:3001", appUrl: "http://127.0.0.1:3000", development: false });
    assert.equal(directive(policy, "script-src"), "script-src 'self' 'nonce-abc' 'strict-dynamic'");
    assert.equal(directive(policy, "style-src"), "style-src 'self' 'nonce-abc'");
    assert.equal(directive(policy, "connect-src"), "connect-src 'self' http://127.0.0.1:3001 ws://127.0.0.1:3001");
    assert.equal(directive(policy, "frame-ancestors"), "frame-ancestors 'none'");
    // A call's <video> plays a MediaStream through srcObject, which no fetch directive governs; a ring tone is ours.
    assert.equal(directive(policy, "media-src"), "media-src 'self' blob:");
    assert.equal(directive(policy, "worker-src"), "worker-src 'self'", "the push service worker, which script-src's 'strict-dynamic' would refuse");
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

describe("Permissions-Policy", () => {
  const features = (policy: string) => new Map(policy.split(", ").map((entry) => entry.split("=") as [string, string]));

  it("allows the camera and microphone to our own origin on the call pages, and to nobody elsewhere", () => {
    const calls = features(permissionsPolicy({ calls: true }));
    const other = features(permissionsPolicy({ calls: false }));
    assert.equal(calls.get("camera"), "(self)");
    assert.equal(calls.get("microphone"), "(self)");
    assert.equal(other.get("camera"), "()");
    assert.equal(other.get("microphone"), "()");
    // Everything else is the same on both.
    for (const [name, allow] of other) if (name !== "camera" && name !== "microphone") assert.equal(calls.get(name), allow, name);
    assert.equal(other.get("geolocation"), "()");
    assert.deepEqual(CALL_PAGES, ["/chat"]);
  });

  it("next.config's rules: every path gets the closed policy, then each call page's replaces it (Next.js keeps the later)", () => {
    const rules = securityHeaderRules();
    const permissions = (headers: readonly { key: string; value: string }[]) => headers.filter((header) => header.key === "Permissions-Policy").map((header) => header.value);
    assert.equal(rules[0]!.source, "/:path*");
    assert.deepEqual(permissions(rules[0]!.headers), [permissionsPolicy({ calls: false })]);
    assert.deepEqual(
      rules.slice(1).map((rule) => [rule.source, permissions(rule.headers)]),
      CALL_PAGES.map((page) => [page, [permissionsPolicy({ calls: true })]]),
    );
  });
});
