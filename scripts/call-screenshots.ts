// Looking at calls: two people on their own stack, a video call and a voice call between two
// Chromium pages with fake camera and microphone, captured at desktop and phone sizes in both
// themes: the incoming dialog, calling, and in a call (video and voice).
//
//   npm run build && npx tsx scripts/call-screenshots.ts [outDir]    (default .data/shots/calls)
//
// A developer's tool, not a test: it asserts nothing and leaves the pictures for a person to judge.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { startStack, type Stack } from "../test/support/stack";
import { createUser, type TestUser } from "../test/support/users";

const outDir = path.resolve(process.argv[2] ?? ".data/shots/calls");
const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

const DEBUG_PEERS = `(() => {
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config) {
      super(config);
      const t0 = performance.now();
      const say = (what) => console.debug(Math.round(performance.now() - t0) + "ms " + what);
      this.addEventListener("connectionstatechange", () => say("pc " + this.connectionState + " ice " + this.iceConnectionState));
      this.addEventListener("signalingstatechange", () => say("sig " + this.signalingState));
      this.addEventListener("icecandidate", (e) => say("local " + (e.candidate ? e.candidate.candidate.split(" ").slice(4, 8).join(" ") : "end")));
      const add = this.addIceCandidate.bind(this);
      this.addIceCandidate = (c) => { say("remote " + (c && c.candidate ? c.candidate.split(" ").slice(4, 8).join(" ") : "end")); return add(c); };
      const srd = this.setRemoteDescription.bind(this);
      this.setRemoteDescription = (d) => { say("setRemote " + d.type); return srd(d); };
    }
  };
})();`;

async function open(browser: Browser, stack: Stack, user: TestUser, url: string, size: keyof typeof SIZES, scheme: "light" | "dark"): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.webUrl, viewport: SIZES[size], colorScheme: scheme, deviceScaleFactor: 1 });
  const host = new URL(stack.webUrl).hostname;
  await context.addCookies(
    user.cookie.split("; ").map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: host, path: "/" };
    }),
  );
  // A plain string: tsx would add helpers to a function that the page does not have.
  if (process.env.CALLS_DEBUG) await context.addInitScript({ content: DEBUG_PEERS });
  const page = await context.newPage();
  if (process.env.CALLS_DEBUG) {
    page.on("console", (m) => console.log(`[${user.name}] ${m.type()} ${m.text()}`));
    page.on("pageerror", (e) => console.log(`[${user.name}] pageerror ${e.message}`));
  }
  await page.goto(url);
  // On a phone the open conversation hides the list and its status line: present is enough.
  await page.getByRole("status", { includeHidden: true }).filter({ hasText: "Connected" }).first().waitFor({ state: "attached", timeout: 20_000 });
  return page;
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const stack = await startStack({ env: { CALL_RING_SECONDS: "60" } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--disable-features=WebRtcHideLocalIpsWithMdns", "--autoplay-policy=no-user-gesture-required"],
  });
  try {
    const [ana, ben] = await Promise.all([createUser(stack, "Ana Lima"), createUser(stack, "Ben Okafor")]);
    const created = await ana.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "direct", userId: ben.id }) });
    const { conversation } = (await created.json()) as { conversation: { id: string } };
    const url = `/chat?c=${conversation.id}`;
    for (const scheme of ["light", "dark"] as const) {
      for (const size of ["desktop", "phone"] as const) {
        const shot = (page: Page, name: string) => page.screenshot({ path: path.join(outDir, `${name}-${size}-${scheme}.png`) });
        const [caller, callee] = await Promise.all([open(browser, stack, ana, url, size, scheme), open(browser, stack, ben, url, size, scheme)]);
        await caller.getByRole("button", { name: "Start video call" }).click();
        await callee.getByRole("alertdialog").waitFor();
        await caller.waitForTimeout(600);
        await shot(caller, "outgoing-video");
        await shot(callee, "incoming-video");
        await callee.getByRole("button", { name: "Accept", exact: true }).click();
        await caller.getByTestId("remote-video").waitFor({ timeout: 15_000 });
        await caller.waitForTimeout(2_500);
        await shot(caller, "in-call-video");
        await caller.getByRole("button", { name: "Hang up" }).click();
        await caller.getByTestId("call-screen").waitFor({ state: "hidden" });

        await caller.getByRole("button", { name: "Start voice call" }).click();
        await callee.getByRole("alertdialog").waitFor();
        await callee.getByRole("button", { name: "Accept", exact: true }).click();
        await caller.getByTestId("call-status").filter({ hasText: /^\d+:\d\d$/ }).waitFor({ timeout: 15_000 });
        await callee.getByRole("button", { name: "Mute microphone" }).click();
        await caller.waitForTimeout(2_500);
        await shot(caller, "in-call-voice");
        await caller.getByRole("button", { name: "Hang up" }).click();
        await caller.getByTestId("call-screen").waitFor({ state: "hidden" });
        await shot(caller, "thread-entries");
        await Promise.all([caller.context().close(), callee.context().close()]);
      }
    }
    console.log(`screenshots in ${outDir}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await main();
