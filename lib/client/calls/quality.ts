// A connection-quality hint from getStats(): round-trip time of the pair in use, packet loss and
// jitter of what comes in, over the interval since the last sample. The thresholds follow the
// usual VoIP rules of thumb (ITU-T G.114: under 150 ms one way is good; loss above a few percent
// is heard; jitter above 30 ms needs a deep buffer).
export type Quality = "good" | "fair" | "poor";

export type StatsSample = { packetsReceived: number; packetsLost: number; rttMs: number | null; jitterMs: number | null };

type StatLike = { type: string; [key: string]: unknown };

const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/** Sums the inbound RTP streams and reads the selected candidate pair. Accepts a Map-like report. */
export function sampleStats(report: { forEach(callback: (stat: StatLike) => void): void }): StatsSample {
  let packetsReceived = 0;
  let packetsLost = 0;
  let jitter: number | null = null;
  let rtt: number | null = null;
  let selectedPair: string | null = null;
  const pairs = new Map<string, StatLike>();
  report.forEach((stat) => {
    if (stat.type === "inbound-rtp") {
      packetsReceived += num(stat.packetsReceived) ?? 0;
      packetsLost += Math.max(0, num(stat.packetsLost) ?? 0);
      const j = num(stat.jitter);
      if (j !== null) jitter = Math.max(jitter ?? 0, j);
    } else if (stat.type === "transport" && typeof stat.selectedCandidatePairId === "string") selectedPair = stat.selectedCandidatePairId;
    else if (stat.type === "candidate-pair") pairs.set(String(stat.id), stat);
  });
  const pair = (selectedPair && pairs.get(selectedPair)) || [...pairs.values()].find((p) => p.nominated === true && p.state === "succeeded");
  if (pair) rtt = num(pair.currentRoundTripTime);
  return { packetsReceived, packetsLost, rttMs: rtt === null ? null : rtt * 1000, jitterMs: jitter === null ? null : (jitter as number) * 1000 };
}

/** Good, fair or poor for the interval between two samples; null while there is nothing to judge. */
export function rateQuality(previous: StatsSample | null, current: StatsSample): Quality | null {
  const received = current.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = current.packetsLost - (previous?.packetsLost ?? 0);
  const total = received + Math.max(0, lost);
  if (total <= 0 && current.rttMs === null) return null;
  const lossPct = total > 0 ? (Math.max(0, lost) / total) * 100 : 0;
  const rtt = current.rttMs ?? 0;
  const jitter = current.jitterMs ?? 0;
  if (lossPct > 8 || rtt > 600 || jitter > 80) return "poor";
  if (lossPct > 2 || rtt > 300 || jitter > 30) return "fair";
  return "good";
}
