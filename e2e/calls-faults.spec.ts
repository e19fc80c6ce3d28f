// Calls when the infrastructure fails under them: the socket server killed with SIGKILL while a
// call rings. Nobody may ring on forever, and the conversation still gets its one entry (failed),
// written by the restarted server's sweep.
import { callButton, callEntries, callLaunchOptions, callStatus, incomingCall, openEachOther } from "./call-browser";
import { expect, test } from "./fixtures";

const RING_SECONDS = 6;

// A stack of this file's own (it kills its socket server), with a short ring.
test.use({ launchOptions: callLaunchOptions, stackOptions: { env: { CALL_RING_SECONDS: String(RING_SECONDS), CALL_GRACE_SECONDS: "2" } } });

test("the socket server killed mid-ring: both sides stop, and once it is back the conversation records the call as failed, once", async ({ signUp, stack }) => {
  const a = await signUp("Ana");
  const b = await signUp("Ben");
  await openEachOther(a, b);
  await callButton(a, "voice").click();
  await expect(incomingCall(b)).toBeVisible();
  await expect(callStatus(a)).toHaveText(`Calling ${b.name}…`);

  await stack.stopSocket("SIGKILL");
  // Without the server nobody can answer: the ring stops on both sides on its own.
  await expect(incomingCall(b)).toBeHidden({ timeout: 10_000 });
  await expect(a.chat.page.getByTestId("call-screen")).toBeHidden({ timeout: (RING_SECONDS + 6) * 1000 });

  await stack.startSocket();
  for (const user of [a, b]) await expect(user.chat.page.getByRole("status").first()).toHaveText("Connected", { timeout: 15_000 });
  for (const user of [a, b]) await expect(callEntries(user)).toHaveText([/couldn.t connect|failed/i], { timeout: 15_000 });
  // It stays at one, and nothing rings again.
  await b.chat.page.waitForTimeout(2_000);
  await expect(callEntries(b)).toHaveCount(1);
  await expect(incomingCall(b)).toBeHidden();
});
