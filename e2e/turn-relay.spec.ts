// TURN end to end: coturn on loopback (test/support/coturn.ts), a stack that mints credentials for
// it and tells browsers to use relays only, and real Chromium taking its configuration from
// /api/calls/ice. Chromium gathers no host candidates on loopback, so a relay candidate here means
// coturn accepted the minted credentials and allocated a relay; two peer connections then talk
// through it.
import { test as base, expect } from "./fixtures";
import { startCoturn, turnEnv, type TestCoturn } from "../test/support/coturn";
import { callEntries, callLaunchOptions, callControl, callStatus, connectedCall, openEachOther } from "./call-browser";

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

test("a voice call connects through coturn alone, with relay-only browsers", async ({ signUp, turn }) => {
  test.skip(turn === null, "turnserver is not installed (apt-get install coturn)");
  const a = await signUp("Relay Ana");
  const b = await signUp("Relay Ben");
  for (const user of [a, b]) {
    // Every peer connection the page makes, for getStats(): the browser's own class, wrapped.
    await user.chat.page.context().addInitScript(() => {
      const Native = window.RTCPeerConnection;
      const made: RTCPeerConnection[] = [];
      (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = made;
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super(config);
          made.push(this);
        }
      };
    });
    await user.chat.page.reload();
  }
  await openEachOther(a, b);
  await connectedCall(a, b, "voice");
  for (const user of [a, b]) {
    const route = await user.chat.page.evaluate(async () => {
      const pc = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.find((p) => p.connectionState === "connected");
      if (!pc) return null;
      const stats = await pc.getStats();
      let local = "";
      let inboundBytes = 0;
      stats.forEach((stat: Record<string, unknown>) => {
        if (stat.type === "transport" && stat.selectedCandidatePairId) {
          const pair = stats.get(stat.selectedCandidatePairId as string) as Record<string, unknown>;
          local = String((stats.get(pair.localCandidateId as string) as Record<string, unknown>).candidateType);
        }
        if (stat.type === "inbound-rtp") inboundBytes += Number(stat.bytesReceived ?? 0);
      });
      return { local, inboundBytes, policy: pc.getConfiguration().iceTransportPolicy };
    });
    expect(route, `${user.name}: no connected peer connection\n${turn!.output()}`).not.toBeNull();
    expect(route!.policy).toBe("relay");
    expect(route!.local).toBe("relay");
    await expect.poll(async () => user.chat.page.evaluate(async () => {
      const pc = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.find((p) => p.connectionState === "connected");
      let bytes = 0;
      (await pc!.getStats()).forEach((stat: Record<string, unknown>) => void (stat.type === "inbound-rtp" && (bytes += Number(stat.bytesReceived ?? 0))));
      return bytes;
    })).toBeGreaterThan(route!.inboundBytes);
  }
  await callControl(a, "Hang up").click();
  for (const user of [a, b]) await expect(callStatus(user)).toHaveText("Call ended");
  await expect(callEntries(b)).toHaveText([/^Voice call · 0:0\d$/]);
});
