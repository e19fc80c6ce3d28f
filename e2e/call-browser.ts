// What a call spec needs of Chromium and of the chat page: fake camera and microphone, host
// candidates as addresses (headless Chromium cannot resolve mDNS names), no throttling of hidden
// pages, and the call screens' controls by role and name.
import type { LaunchOptions, Page } from "@playwright/test";
import { chromiumLaunchOptions } from "./chromium";
import { expect, type ChatUser } from "./fixtures";

export const callLaunchOptions: LaunchOptions = {
  ...chromiumLaunchOptions,
  args: [
    ...chromiumLaunchOptions.args,
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
  ],
};

/** Both open their direct conversation. */
export async function openEachOther(a: ChatUser, b: ChatUser): Promise<void> {
  await a.chat.openDirect(b.name);
  await b.chat.openDirect(a.name);
}

export const incomingCall = (user: ChatUser | Page) => ("chat" in user ? user.chat.page : user).getByRole("alertdialog");
export const callStatus = (user: ChatUser) => user.chat.page.getByTestId("call-status");
export const callButton = (user: ChatUser, media: "voice" | "video") => user.chat.page.getByRole("button", { name: `Start ${media} call` });
export const callControl = (user: ChatUser, name: string) => user.chat.page.getByTestId("call-screen").getByRole("button", { name, exact: true });
export const callEntries = (user: ChatUser) => user.chat.messages.getByTestId("call-entry-title");

/** `a` calls `b`, who accepts; both show the running timer. */
export async function connectedCall(a: ChatUser, b: ChatUser, media: "voice" | "video"): Promise<void> {
  await callButton(a, media).click();
  await expect(incomingCall(b)).toBeVisible();
  await incomingCall(b).getByRole("button", { name: "Accept", exact: true }).click();
  for (const user of [a, b]) await expect(callStatus(user)).toHaveText(/^\d+:\d\d$/, { timeout: 10_000 });
}
