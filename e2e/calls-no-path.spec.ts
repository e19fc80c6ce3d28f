// A call with no network path between the two browsers, as behind a firewall that blocks calls:
// the stack tells browsers to use relays only and has no TURN server to relay through, so ICE
// finds nothing. Both people are told why, and the conversation records that it couldn't connect.
import { callButton, callEntries, callLaunchOptions, incomingCall, openEachOther } from "./call-browser";
import { expect, test } from "./fixtures";

test.use({ launchOptions: callLaunchOptions, stackOptions: { env: { ICE_TRANSPORT_POLICY: "relay" } } });

test("ICE failing is explained on both sides, and the entry says the call couldn't connect", async ({ signUp }) => {
  const a = await signUp("Ana");
  const b = await signUp("Ben");
  await openEachOther(a, b);
  await callButton(a, "voice").click();
  await expect(incomingCall(b)).toBeVisible();
  await incomingCall(b).getByRole("button", { name: "Accept", exact: true }).click();
  for (const user of [a, b]) {
    await expect(user.chat.page.getByText(/couldn.t connect: the network blocks calls; ask your admin for a TURN server/i).first()).toBeVisible({ timeout: 60_000 });
  }
  for (const user of [a, b]) await expect(callEntries(user)).toHaveText([/couldn.t connect|failed/i], { timeout: 10_000 });
});
