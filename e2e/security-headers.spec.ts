import { expect, test } from "./fixtures";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

test("every page carries a fresh nonce-based CSP that its own scripts satisfy, and the security headers", async ({ request, stack }) => {
  const socket = new URL(stack.socketUrl);
  const nonces: string[] = [];
  for (const path of ["/sign-in", "/sign-up", "/no-such-page"]) {
    const response = await request.get(`${stack.webUrl}${path}`);
    const headers = response.headers();
    const policy = headers["content-security-policy"];
    expect(policy, path).toBeTruthy();
    const csp = directives(policy!);

    const script = csp.get("script-src") ?? [];
    const nonce = script.find((value) => value.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
    expect(nonce, `${path}: script-src ${script.join(" ")}`).toBeTruthy();
    expect(script).toContain("'strict-dynamic'");
    expect(script).not.toContain("'unsafe-inline'");
    expect(script).not.toContain("'unsafe-eval'");
    expect(csp.get("connect-src")).toEqual(expect.arrayContaining(["'self'", socket.origin, `ws://${socket.host}`]));
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=(self)");
    expect(headers["permissions-policy"]).toContain("microphone=(self)");

    // Every script the page ships carries this response's nonce, or the browser would refuse it.
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    nonces.push(nonce!);
  }
  expect(new Set(nonces).size).toBe(nonces.length);

  // JSON and assets are not documents: no CSP needed, but never sniffed or framed.
  const api = await request.get(`${stack.webUrl}/api/health`);
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["x-frame-options"]).toBe("DENY");
});
