// What the call specs share: a browser with fake camera and microphone, a look into the page's
// peer connections (the browser's class, wrapped; nothing of Parley's), and the call UI found by
// roles and names.
import { existsSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import type { ChatUser } from "../fixtures";

export const callLaunchOptions = {
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
};

declare global {
  interface Window {
    __pcs?: RTCPeerConnection[];
    __acceptedAt?: number;
  }
}

/** Every RTCPeerConnection the page makes, kept for getStats() (the browser's class, wrapped; nothing of Parley's). */
export async function watchPeers(page: Page) {
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
export function inbound(page: Page): Promise<Inbound> {
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

export async function direct(a: ChatUser, b: ChatUser) {
  if (process.env.CALLS_DEBUG) {
    for (const user of [a, b]) user.chat.page.on("console", (m) => console.log(`[${user.name}] ${m.type()}: ${m.text().slice(0, 200)}`));
  }
  await a.chat.openDirect(b.name);
  await b.chat.openDirect(a.name);
}

export const incoming = (user: ChatUser | Page) => ("chat" in user ? user.chat.page : user).getByRole("alertdialog");
export const status = (user: ChatUser) => user.chat.page.getByTestId("call-status");
export const callButton = (user: ChatUser, media: "voice" | "video") => user.chat.page.getByRole("button", { name: `Start ${media} call` });
export const control = (user: ChatUser, name: string) => user.chat.page.getByTestId("call-screen").getByRole("button", { name, exact: true });
export const entry = (user: ChatUser) => user.chat.messages.getByTestId("call-entry-title");

/** A call placed by `a` and accepted by `b`, connected on both sides. */
export async function connectedCall(a: ChatUser, b: ChatUser, media: "voice" | "video") {
  await callButton(a, media).click();
  await expect(incoming(b)).toBeVisible();
  await incoming(b).getByRole("button", { name: "Accept", exact: true }).click();
  for (const user of [a, b]) await expect(status(user)).toHaveText(/^\d+:\d\d$/, { timeout: 10_000 });
}

