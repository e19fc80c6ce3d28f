// A look into a page's peer connections for the call specs: the browser's own class, wrapped
// (nothing of Parley's), so getStats() can be read; and the moment Accept was clicked, for the
// set-up time. The call UI itself is in e2e/call-browser.ts.
import { expect, type Page } from "@playwright/test";

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
