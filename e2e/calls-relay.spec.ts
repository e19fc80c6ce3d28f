// A call through Parley's own screens with relays only: coturn on loopback (test/support/coturn.ts),
// the stack minting its credentials and telling browsers `iceTransportPolicy: "relay"`, and the
// call UI taking that from /api/calls/ice. Skipped, with the reason, only where coturn cannot run.
import { startCoturn, turnEnv, type TestCoturn } from "../test/support/coturn";
import { expect, test as base } from "./fixtures";
import { callControl, callLaunchOptions, callStatus, connectedCall, openEachOther } from "./call-browser";
import { inbound, watchPeers } from "./pages/calls";

const test = base.extend<object, { turn: TestCoturn | null }>({
  turn: [
    async ({}, provide) => {
      const turn = await startCoturn();
      await provide(turn);
      await turn?.stop();
    },
    { scope: "worker" },
  ],
  stackOptions: [async ({ turn }, provide) => provide(turn ? { env: { ...turnEnv(turn), ICE_TRANSPORT_POLICY: "relay" } } : {}), { scope: "worker" }],
});

test.use({ launchOptions: callLaunchOptions });

test("relay only: a video call placed and answered in the UI connects through TURN, and media flows", async ({ signUp, turn }) => {
  test.skip(turn === null, "turnserver is not installed (apt-get install coturn)");
  const a = await signUp("Ana");
  const b = await signUp("Ben");
  await watchPeers(a.chat.page);
  await watchPeers(b.chat.page);
  await openEachOther(a, b);
  await connectedCall(a, b, "video");
  for (const page of [a.chat.page, b.chat.page]) {
    const path = await page.evaluate(async () => {
      const pc = window.__pcs?.find((p) => p.connectionState === "connected");
      const stats = new Map<string, Record<string, unknown>>();
      (await pc!.getStats()).forEach((s: Record<string, unknown>) => stats.set(String(s.id), s));
      const transport = [...stats.values()].find((s) => s.type === "transport");
      const pair = stats.get(String(transport?.selectedCandidatePairId));
      return { local: stats.get(String(pair?.localCandidateId))?.candidateType, remote: stats.get(String(pair?.remoteCandidateId))?.candidateType };
    });
    expect(path.local).toBe("relay");
    const before = await inbound(page);
    await expect.poll(async () => (await inbound(page)).frames, { timeout: 5_000 }).toBeGreaterThan(before.frames + 5);
  }
  await callControl(a, "Hang up").click();
  await expect(callStatus(b)).toHaveText("Call ended");
});
