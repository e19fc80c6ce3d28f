import type { Page } from "@playwright/test";
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
    // Only the chat page, where calls are made, may ask for the camera and the microphone.
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["permissions-policy"]).toContain("microphone=()");

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

test("the chat page, and no other, may use the camera and the microphone, under the same CSP", async ({ browser, signUp, stack }) => {
  const ana = await signUp("Ana");
  const { page } = ana.chat;
  const response = await page.goto("/chat");
  const headers = response!.headers();
  const permissions = headers["permissions-policy"] ?? "";
  expect(permissions).toContain("camera=(self)");
  expect(permissions).toContain("microphone=(self)");
  expect(permissions).not.toContain("camera=()");
  // Everything but camera and microphone reads as on every other page.
  const other = (await page.request.get(`${stack.webUrl}/no-such-page`)).headers()["permissions-policy"] ?? "";
  const rest = (policy: string) => policy.split(", ").filter((entry) => !/^(camera|microphone)=/.test(entry));
  expect(rest(permissions)).toEqual(rest(other));
  expect(rest(permissions).length).toBeGreaterThan(0);

  const csp = directives(headers["content-security-policy"] ?? "");
  expect(csp.get("media-src")).toEqual(["'self'", "blob:"]);
  const socket = new URL(stack.socketUrl);
  expect(csp.get("connect-src")).toEqual(["'self'", socket.origin, `ws://${socket.host}`]);

  // The browser applies it: a document loaded from /chat may, one loaded from /sign-in may not.
  expect(await allowedMedia(page)).toEqual([true, true]);
  const visitor = await browser.newContext({ baseURL: stack.webUrl });
  try {
    const signIn = await visitor.newPage();
    await signIn.goto("/sign-in");
    expect(await allowedMedia(signIn)).toEqual([false, false]);
  } finally {
    await visitor.close();
  }
});

// A Permissions-Policy belongs to the document: signing in or up must reach /chat with a full page
// load (components/auth/*-form.tsx), or the chat would run in the sign-up page's document, which may
// not use the camera or the microphone until the page is reloaded.
test("right after signing up, the chat page may use the camera and the microphone", async ({ signUp }) => {
  const ana = await signUp("Bea");
  expect(await allowedMedia(ana.chat.page)).toEqual([true, true]);
});

/** Whether this document may use [camera, microphone], as the browser decided from its Permissions-Policy. */
function allowedMedia(page: Page): Promise<[boolean, boolean] | null> {
  return page.evaluate(() => {
    const policy = (document as Document & { featurePolicy?: { allowsFeature(name: string): boolean } }).featurePolicy;
    return policy ? [policy.allowsFeature("camera"), policy.allowsFeature("microphone")] : null;
  });
}
