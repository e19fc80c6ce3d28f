// TURN end to end: coturn on loopback (test/support/coturn.ts), a stack that mints credentials for
// it and tells browsers to use relays only, and real Chromium taking its configuration from
// /api/calls/ice. Chromium gathers no host candidates on loopback, so a relay candidate here means
// coturn accepted the minted credentials and allocated a relay; two peer connections then talk
// through it; and a video call placed and answered in the UI connects with relays only.
import { test as base, expect } from "./fixtures";
import { startCoturn, turnEnv, type TestCoturn } from "../test/support/coturn";
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

type Gathered = { iceTransportPolicy: string; turnUrls: unknown; candidates: string[]; errors: string[] };

test("a signed-in page gathers a relay candidate from coturn with the credentials /api/calls/ice minted", async ({ signUp, turn }) => {
  test.skip(turn === null, "turnserver is not installed (apt-get install coturn)");
  const ana = await signUp("Relay");
  const gathered: Gathered = await ana.chat.page.evaluate(async () => {
    const response = await fetch("/api/calls/ice", { cache: "no-store" });
    const config = (await response.json()) as { iceServers: RTCIceServer[]; iceTransportPolicy: RTCIceTransportPolicy };
    const peer = new RTCPeerConnection({ iceServers: config.iceServers, iceTransportPolicy: config.iceTransportPolicy });
    const candidates: string[] = [];
    const errors: string[] = [];
    peer.addEventListener("icecandidateerror", (event) => errors.push(`${event.url} ${event.errorCode} ${event.errorText}`));
    const complete = new Promise<void>((resolve) => {
      peer.addEventListener("icecandidate", ({ candidate }) => (candidate ? candidates.push(candidate.candidate) : resolve()));
      setTimeout(resolve, 15_000);
    });
    peer.createDataChannel("probe");
    await peer.setLocalDescription(await peer.createOffer());
    await complete;
    peer.close();
    return { iceTransportPolicy: config.iceTransportPolicy, turnUrls: config.iceServers.at(-1)?.urls, candidates, errors };
  });

  expect(gathered.iceTransportPolicy).toBe("relay");
  expect(gathered.turnUrls).toEqual(turn!.urls);
  const relays = gathered.candidates.filter((candidate) => / typ relay /.test(candidate));
  expect(relays, `candidates: ${JSON.stringify(gathered.candidates)}; errors: ${JSON.stringify(gathered.errors)}\n${turn!.output()}`).not.toEqual([]);
  for (const relay of relays) expect(relay).toContain(" 127.0.0.1 ");
  // Relay only: nothing else was offered.
  expect(gathered.candidates.filter((candidate) => !/ typ relay /.test(candidate))).toEqual([]);
});

test("two relay-only peer connections open a data channel through coturn and exchange a message", async ({ signUp, turn }) => {
  test.skip(turn === null, "turnserver is not installed (apt-get install coturn)");
  const ana = await signUp("Relay");
  const result = await ana.chat.page.evaluate(async () => {
    const config = (await (await fetch("/api/calls/ice", { cache: "no-store" })).json()) as RTCConfiguration;
    const [a, b] = [new RTCPeerConnection(config), new RTCPeerConnection(config)];
    const relayed: string[] = [];
    for (const [from, to] of [[a, b], [b, a]] as const) {
      from.addEventListener("icecandidate", ({ candidate }) => {
        if (!candidate) return;
        relayed.push(candidate.candidate);
        void to.addIceCandidate(candidate);
      });
    }
    const received = new Promise<string>((resolve) => b.addEventListener("datachannel", ({ channel }) => channel.addEventListener("message", ({ data }) => resolve(String(data)))));
    const channel = a.createDataChannel("probe");
    const opened = new Promise<void>((resolve) => channel.addEventListener("open", () => resolve()));
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no connection: ${a.iceConnectionState}, candidates ${JSON.stringify(relayed)}`)), 15_000));
    await Promise.race([opened, timeout]);
    channel.send("through the relay");
    const message = await Promise.race([received, timeout]);
    const stats = await a.getStats();
    let pairLocal = "";
    stats.forEach((report: { type: string; state?: string; nominated?: boolean; localCandidateId?: string }) => {
      if (report.type === "candidate-pair" && report.state === "succeeded" && report.nominated) pairLocal = report.localCandidateId ?? "";
    });
    const local = stats.get(pairLocal) as { candidateType?: string } | undefined;
    a.close();
    b.close();
    return { message, localType: local?.candidateType ?? null };
  });
  expect(result).toEqual({ message: "through the relay", localType: "relay" });
});

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
