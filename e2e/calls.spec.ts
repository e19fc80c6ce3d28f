// 1:1 calls between real Chromium pages (issue 14): fake camera and microphone, host ICE
// candidates only. The pages are served on 127.0.0.1 (a secure context, so getUserMedia exists),
// and the media itself flows between the two browsers over the machine's non-loopback interface:
// Chromium gathers host candidates on every interface except loopback whatever the page's origin,
// so no change to where the stack listens is needed. Short ring and grace times keep each test to
// seconds.
import { existsSync } from "node:fs";
import type { Page } from "@playwright/test";
import { startStack, type Stack } from "../test/support/stack";
import { expect, test as base, type ChatUser } from "./fixtures";

const RING_SECONDS = 5;
const GRACE_SECONDS = 2;

const test = base.extend<object, { stack: Stack }>({
  stack: [
    async ({}, provide) => {
      const stack = await startStack({ env: { CALL_RING_SECONDS: String(RING_SECONDS), CALL_GRACE_SECONDS: String(GRACE_SECONDS) } });
      await provide(stack);
      await stack.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      // Host candidates as IP addresses, not mDNS names (which headless Chromium cannot resolve).
      "--disable-features=WebRtcHideLocalIpsWithMdns",
      "--autoplay-policy=no-user-gesture-required",
    ],
  },
});

declare global {
  interface Window {
    __pcs?: RTCPeerConnection[];
    __acceptedAt?: number;
  }
}

/** Every RTCPeerConnection the page makes, kept for getStats() (the browser's class, wrapped; nothing of Parley's). */
async function watchPeers(page: Page) {
  await page.context().addInitScript(() => {
    const Native = window.RTCPeerConnection;
    window.__pcs = [];
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        window.__pcs!.push(this);
        this.addEventListener("connectionstatechange", () => console.debug(`pc ${this.connectionState} ice ${this.iceConnectionState}`));
        this.addEventListener("icecandidate", (e) => console.debug(`local candidate ${e.candidate?.candidate ?? "end"}`));
      }
    };
    document.addEventListener("click", (event) => {
      if ((event.target as Element | null)?.closest?.('[role="alertdialog"] button[aria-label="Accept"]')) window.__acceptedAt = performance.now();
    }, true);
  });
  await page.reload();
  await expect(page.getByRole("status").first()).toHaveText("Connected", { timeout: 15_000 });
}

type Inbound = { bytes: number; frames: number; energy: number; width: number; time: number };

/** What the page's live peer connection receives, and what its remote <video> shows. */
function inbound(page: Page): Promise<Inbound> {
  return page.evaluate(async () => {
    const pc = window.__pcs?.filter((p) => p.connectionState === "connected").at(-1);
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
    const result = { bytes: 0, frames: 0, energy: 0, width: video?.videoWidth ?? 0, time: video?.currentTime ?? 0 };
    if (!pc) return result;
    (await pc.getStats()).forEach((stat: Record<string, number | string>) => {
      if (stat.type !== "inbound-rtp") return;
      result.bytes += Number(stat.bytesReceived ?? 0);
      if (stat.kind === "video") result.frames += Number(stat.framesDecoded ?? 0);
      if (stat.kind === "audio") result.energy += Number(stat.totalAudioEnergy ?? 0);
    });
    return result;
  });
}

async function direct(a: ChatUser, b: ChatUser) {
  if (process.env.CALLS_DEBUG) {
    for (const user of [a, b]) user.chat.page.on("console", (m) => console.log(`[${user.name}] ${m.type()}: ${m.text().slice(0, 200)}`));
  }
  await a.chat.openDirect(b.name);
  await b.chat.openDirect(a.name);
}

const incoming = (user: ChatUser | Page) => ("chat" in user ? user.chat.page : user).getByRole("alertdialog");
const status = (user: ChatUser) => user.chat.page.getByTestId("call-status");
const callButton = (user: ChatUser, media: "voice" | "video") => user.chat.page.getByRole("button", { name: `Start ${media} call` });
const control = (user: ChatUser, name: string) => user.chat.page.getByTestId("call-screen").getByRole("button", { name, exact: true });
const entry = (user: ChatUser) => user.chat.messages.getByTestId("call-entry-title");

/** A call placed by `a` and accepted by `b`, connected on both sides. */
async function connectedCall(a: ChatUser, b: ChatUser, media: "voice" | "video") {
  await callButton(a, media).click();
  await expect(incoming(b)).toBeVisible();
  await incoming(b).getByRole("button", { name: "Accept", exact: true }).click();
  for (const user of [a, b]) await expect(status(user)).toHaveText(/^\d+:\d\d$/, { timeout: 10_000 });
}

test.describe("calls", () => {
  test("video call: both see and hear each other, mute silences, hang-up ends both, one entry with the duration", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await watchPeers(a.chat.page);
    await watchPeers(b.chat.page);
    await direct(a, b);

    await callButton(a, "video").click();
    await expect(status(a)).toHaveText(`Calling ${b.name}…`);
    const dialog = incoming(b);
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAccessibleName(a.name);
    await expect(dialog).toHaveAccessibleDescription(/Incoming video call/);
    await expect(dialog).toBeFocused();
    // Escape does not decline.
    await b.chat.page.keyboard.press("Escape");
    await expect(dialog).toBeVisible();

    await dialog.getByRole("button", { name: "Accept", exact: true }).click();
    const setupMs = await b.chat.page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const check = () => {
            const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
            if (video && video.videoWidth > 0) return resolve(performance.now() - (window.__acceptedAt ?? performance.now()));
            setTimeout(check, 5);
          };
          check();
        }),
    );
    console.log(`call set-up time (Accept → first remote frame): ${Math.round(setupMs)} ms`);

    for (const user of [a, b]) await expect(status(user)).toHaveText(/^0:0\d$/, { timeout: 10_000 });
    for (const page of [a.chat.page, b.chat.page]) {
      const before = await inbound(page);
      await expect.poll(async () => (await inbound(page)).frames, { timeout: 5_000 }).toBeGreaterThan(before.frames + 5);
      const after = await inbound(page);
      expect(after.width).toBeGreaterThan(0);
      expect(after.bytes).toBeGreaterThan(before.bytes);
      expect(after.time).toBeGreaterThan(before.time);
      await expect(page.getByTestId("local-video")).toBeVisible();
    }

    // Ben hears Ana (the fake microphone beeps); once she mutes, the energy he receives stops growing.
    await expect.poll(async () => (await inbound(b.chat.page)).energy, { timeout: 5_000 }).toBeGreaterThan(0);
    await control(a, "Mute microphone").click();
    await expect(b.chat.page.getByTestId("remote-muted")).toHaveText(`${a.name} is muted`);
    await b.chat.page.waitForTimeout(500);
    const mutedFrom = (await inbound(b.chat.page)).energy;
    await b.chat.page.waitForTimeout(1_500);
    expect((await inbound(b.chat.page)).energy - mutedFrom).toBeLessThan(1e-4);
    await control(a, "Unmute microphone").click();
    await expect(b.chat.page.getByTestId("remote-muted")).toBeHidden();

    // The camera goes off and on again; Ben sees it.
    await control(a, "Turn camera off").click();
    await expect(b.chat.page.getByText(`${a.name} turned their camera off`)).toBeVisible();
    await control(a, "Turn camera on").click();
    await expect(b.chat.page.getByTestId("remote-video")).toBeVisible();

    await control(a, "Hang up").click();
    await expect(status(a)).toHaveText("Call ended");
    await expect(status(b)).toHaveText("Call ended");
    for (const user of [a, b]) {
      await expect(user.chat.page.getByTestId("call-screen")).toBeHidden({ timeout: 5_000 });
      await expect(entry(user)).toHaveText([/^Video call · 0:0\d$/]);
    }
    await expect(a.chat.conversation(b.name)).toContainText(/Video call · 0:0\d/);
  });

  test("two tabs ring; answering on one stops the other within a second", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await direct(a, b);
    const second = await b.chat.page.context().newPage();
    await second.goto("/chat");
    await expect(second.getByRole("status").first()).toHaveText("Connected", { timeout: 15_000 });

    await callButton(a, "voice").click();
    await expect(incoming(b)).toBeVisible();
    await expect(incoming(second)).toBeVisible();
    await expect(incoming(second)).toHaveAccessibleDescription(/Incoming voice call/);
    await incoming(b).getByRole("button", { name: "Accept", exact: true }).click();
    await expect(incoming(second)).toBeHidden({ timeout: 1_000 });
    await expect(second.getByTestId("call-banner")).toHaveText(/Answered on another device|On a call in another tab/);
    await expect(status(a)).toHaveText(/^\d+:\d\d$/, { timeout: 10_000 });
    await expect(second.getByTestId("call-banner")).toHaveText("On a call in another tab", { timeout: 6_000 });
    await control(a, "Hang up").click();
    await expect(status(b)).toHaveText("Call ended");
    await expect(second.getByTestId("call-banner")).toBeHidden();
  });

  test("declined: every tab stops, the caller hears it, each side reads the entry its way", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await direct(a, b);
    await callButton(a, "voice").click();
    await incoming(b).getByRole("button", { name: "Decline" }).click();
    await expect(incoming(b)).toBeHidden();
    await expect(status(a)).toHaveText(`${b.name} declined`);
    await expect(entry(a)).toHaveText(["Voice call · Declined"]);
    await expect(entry(b)).toHaveText(["Declined voice call"]);
  });

  test("no answer: the ring stops on both sides and the callee has a missed call", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await direct(a, b);
    await callButton(a, "video").click();
    await expect(incoming(b)).toBeVisible();
    await expect(status(a)).toHaveText("No answer", { timeout: (RING_SECONDS + 3) * 1000 });
    await expect(incoming(b)).toBeHidden();
    await expect(entry(a)).toHaveText(["Video call · No answer"]);
    await expect(entry(b)).toHaveText(["Missed video call"]);
    await expect(b.chat.conversation(a.name)).toContainText("Missed video call");
  });

  test("busy: calling someone already in a call says so at once, and their tabs do not ring", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    const c = await signUp("Cleo");
    await direct(a, b);
    await c.chat.openDirect(b.name);
    await connectedCall(a, b, "voice");
    await callButton(c, "voice").click();
    await expect(status(c)).toHaveText(`${b.name} is busy`);
    await expect(incoming(b)).toHaveCount(0);
    await expect(entry(c)).toHaveText(["Voice call · Busy"]);
    await control(a, "Hang up").click();
    await expect(status(b)).toHaveText("Call ended");
  });

  test("glare: both call each other at once, one call connects, no busy and no missed entry", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await direct(a, b);
    await Promise.all([callButton(a, "voice").click(), callButton(b, "voice").click()]);
    for (const user of [a, b]) await expect(status(user)).toHaveText(/^\d+:\d\d$/, { timeout: 10_000 });
    await control(b, "Hang up").click();
    for (const user of [a, b]) await expect(entry(user)).toHaveText([/^Voice call · 0:0\d$/]);
  });

  test("the caller cancels: the ring stops, the callee has a missed call", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await direct(a, b);
    await callButton(a, "voice").click();
    await expect(incoming(b)).toBeVisible();
    await control(a, "Cancel call").click();
    await expect(incoming(b)).toBeHidden();
    await expect(entry(a)).toHaveText(["Cancelled voice call"]);
    await expect(entry(b)).toHaveText(["Missed voice call"]);
  });

  test("the callee's tab closes mid-call: the call ends for the caller", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await direct(a, b);
    await connectedCall(a, b, "video");
    await b.chat.page.close();
    await expect(status(a)).toHaveText(/Call ended|Call failed/, { timeout: (GRACE_SECONDS + 4) * 1000 });
    await expect(entry(a)).toHaveText([/^Video call · 0:0\d$|^Video call · Failed$/]);
  });
});
