// 1:1 calls between real Chromium pages (issue 14): fake camera and microphone, host ICE
// candidates only. The pages are served on 127.0.0.1 (a secure context, so getUserMedia exists),
// and the media itself flows between the two browsers over the machine's non-loopback interface:
// Chromium gathers host candidates on every interface except loopback whatever the page's origin,
// so no change to where the stack listens is needed. Short ring and grace times keep each test to
// seconds.
import { expect, test } from "./fixtures";
import { callButton, callControl, callEntries, callLaunchOptions, callStatus, connectedCall, incomingCall, openEachOther } from "./call-browser";
import { inbound, watchPeers } from "./pages/calls";

const RING_SECONDS = 5;
const GRACE_SECONDS = 2;

test.use({
  stackOptions: { env: { CALL_RING_SECONDS: String(RING_SECONDS), CALL_GRACE_SECONDS: String(GRACE_SECONDS) } },
  launchOptions: callLaunchOptions,
});

test.describe("calls", () => {
  test("video call: both see and hear each other, mute silences, hang-up ends both, one entry with the duration", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await watchPeers(a.chat.page);
    await watchPeers(b.chat.page);
    await openEachOther(a, b);

    await callButton(a, "video").click();
    await expect(callStatus(a)).toHaveText(`Calling ${b.name}…`);
    const dialog = incomingCall(b);
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

    for (const user of [a, b]) await expect(callStatus(user)).toHaveText(/^0:0\d$/, { timeout: 10_000 });
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
    await callControl(a, "Mute microphone").click();
    await expect(b.chat.page.getByTestId("remote-muted")).toHaveText(`${a.name} is muted`);
    await b.chat.page.waitForTimeout(500);
    const mutedFrom = (await inbound(b.chat.page)).energy;
    await b.chat.page.waitForTimeout(1_500);
    expect((await inbound(b.chat.page)).energy - mutedFrom).toBeLessThan(1e-4);
    await callControl(a, "Unmute microphone").click();
    await expect(b.chat.page.getByTestId("remote-muted")).toBeHidden();

    // The camera goes off and on again; Ben sees it.
    await callControl(a, "Turn camera off").click();
    await expect(b.chat.page.getByText(`${a.name} turned their camera off`)).toBeVisible();
    await callControl(a, "Turn camera on").click();
    await expect(b.chat.page.getByTestId("remote-video")).toBeVisible();

    await callControl(a, "Hang up").click();
    await expect(callStatus(a)).toHaveText("Call ended");
    await expect(callStatus(b)).toHaveText("Call ended");
    for (const user of [a, b]) {
      await expect(user.chat.page.getByTestId("call-screen")).toBeHidden({ timeout: 5_000 });
      await expect(callEntries(user)).toHaveText([/^Video call · 0:0\d$/]);
    }
    await expect(a.chat.conversation(b.name)).toContainText(/Video call · 0:0\d/);
  });

  test("answered with audio only: no picture from the callee until they turn the camera on (a renegotiation), in a voice call too", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await openEachOther(a, b);
    await callButton(a, "video").click();
    await incomingCall(b).getByRole("button", { name: "Accept with audio only" }).click();
    for (const user of [a, b]) await expect(callStatus(user)).toHaveText(/^\d+:\d\d$/, { timeout: 10_000 });
    await expect(a.chat.page.getByText(`${b.name} turned their camera off`)).toBeVisible();
    await expect(b.chat.page.getByTestId("remote-video")).toBeVisible();
    await callControl(b, "Turn camera on").click();
    await expect(a.chat.page.getByTestId("remote-video")).toBeVisible();
    await expect.poll(() => a.chat.page.getByTestId("remote-video").evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 5_000 }).toBeGreaterThan(0);
    await callControl(a, "Hang up").click();
    await expect(callStatus(b)).toHaveText("Call ended");
    await expect(b.chat.page.getByTestId("call-screen")).toBeHidden({ timeout: 5_000 });

    // A voice call: the caller adds a camera, and the other side sees it.
    await connectedCall(b, a, "voice");
    await expect(a.chat.page.getByTestId("remote-video")).toHaveCount(0);
    await callControl(b, "Turn camera on").click();
    await expect.poll(() => a.chat.page.getByTestId("remote-video").evaluate((v: HTMLVideoElement) => v.videoWidth).catch(() => 0), { timeout: 5_000 }).toBeGreaterThan(0);
    await callControl(b, "Hang up").click();
    await expect(callStatus(a)).toHaveText("Call ended");
  });

  test("two tabs ring; answering on one stops the other within a second", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await openEachOther(a, b);
    const second = await b.chat.page.context().newPage();
    await second.goto("/chat");
    await expect(second.getByRole("status").first()).toHaveText("Connected", { timeout: 15_000 });

    await callButton(a, "voice").click();
    await expect(incomingCall(b)).toBeVisible();
    await expect(incomingCall(second)).toBeVisible();
    await expect(incomingCall(second)).toHaveAccessibleDescription(/Incoming voice call/);
    await incomingCall(b).getByRole("button", { name: "Accept", exact: true }).click();
    await expect(incomingCall(second)).toBeHidden({ timeout: 1_000 });
    await expect(second.getByTestId("call-banner")).toHaveText(/Answered on another device|On a call in another tab/);
    await expect(callStatus(a)).toHaveText(/^\d+:\d\d$/, { timeout: 10_000 });
    await expect(second.getByTestId("call-banner")).toHaveText("On a call in another tab", { timeout: 6_000 });
    await callControl(a, "Hang up").click();
    await expect(callStatus(b)).toHaveText("Call ended");
    await expect(second.getByTestId("call-banner")).toBeHidden();
  });

  test("declined: every tab stops, the caller hears it, each side reads the entry its way", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await openEachOther(a, b);
    await callButton(a, "voice").click();
    await incomingCall(b).getByRole("button", { name: "Decline" }).click();
    await expect(incomingCall(b)).toBeHidden();
    await expect(callStatus(a)).toHaveText(`${b.name} declined`);
    await expect(callEntries(a)).toHaveText(["Voice call · Declined"]);
    await expect(callEntries(b)).toHaveText(["Declined voice call"]);
  });

  test("no answer: the ring stops on both sides and the callee has a missed call", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await openEachOther(a, b);
    await callButton(a, "video").click();
    await expect(incomingCall(b)).toBeVisible();
    await expect(callStatus(a)).toHaveText("No answer", { timeout: (RING_SECONDS + 3) * 1000 });
    await expect(incomingCall(b)).toBeHidden();
    await expect(callEntries(a)).toHaveText(["Video call · No answer"]);
    await expect(callEntries(b)).toHaveText(["Missed video call"]);
    await expect(b.chat.conversation(a.name)).toContainText("Missed video call");
  });

  test("busy: calling someone already in a call says so at once, and their tabs do not ring", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    const c = await signUp("Cleo");
    await openEachOther(a, b);
    await c.chat.openDirect(b.name);
    await connectedCall(a, b, "voice");
    await callButton(c, "voice").click();
    await expect(callStatus(c)).toHaveText(`${b.name} is busy`);
    await expect(incomingCall(b)).toHaveCount(0);
    await expect(callEntries(c)).toHaveText(["Voice call · Busy"]);
    await callControl(a, "Hang up").click();
    await expect(callStatus(b)).toHaveText("Call ended");
  });

  test("glare: both call each other at once, one call connects, no busy and no missed entry", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await openEachOther(a, b);
    // Both press at the same instant: Playwright's click() would wait for B's button while A's call
    // already rings over it, which is a different story (calling the person who rings you answers them).
    await Promise.all([callButton(a, "voice").waitFor(), callButton(b, "voice").waitFor()]);
    await Promise.all([callButton(a, "voice").evaluate((button: HTMLElement) => button.click()), callButton(b, "voice").evaluate((button: HTMLElement) => button.click())]);
    for (const user of [a, b]) await expect(callStatus(user)).toHaveText(/^\d+:\d\d$/, { timeout: 10_000 });
    await callControl(b, "Hang up").click();
    for (const user of [a, b]) await expect(callEntries(user)).toHaveText([/^Voice call · 0:0\d$/]);
  });

  test("the caller cancels: the ring stops, the callee has a missed call", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await openEachOther(a, b);
    await callButton(a, "voice").click();
    await expect(incomingCall(b)).toBeVisible();
    await callControl(a, "Cancel call").click();
    await expect(incomingCall(b)).toBeHidden();
    await expect(callEntries(a)).toHaveText(["Cancelled voice call"]);
    await expect(callEntries(b)).toHaveText(["Missed voice call"]);
  });

  test("the callee's tab closes mid-call: the call ends for the caller", async ({ signUp }) => {
    const a = await signUp("Ana");
    const b = await signUp("Ben");
    await openEachOther(a, b);
    await connectedCall(a, b, "video");
    await b.chat.page.close();
    await expect(callStatus(a)).toHaveText(/Call ended|Call failed/, { timeout: (GRACE_SECONDS + 4) * 1000 });
    await expect(callEntries(a)).toHaveText([/^Video call · 0:0\d$|^Video call · Failed$/]);
  });
});
