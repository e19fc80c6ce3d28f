// The ring of an incoming call and the ring-back a caller hears, made with WebAudio (no audio
// file to fetch): short sine bursts with soft edges, repeated until stopped.
export type ToneKind = "ring" | "ringback";

type Burst = { at: number; freqs: number[]; length: number };

const PATTERNS: Record<ToneKind, { period: number; bursts: Burst[]; gain: number }> = {
  // Two rising chimes, twice, every 3 s: noticeable without being harsh.
  ring: {
    period: 3,
    gain: 0.18,
    bursts: [
      { at: 0, freqs: [659.25, 1318.5], length: 0.18 },
      { at: 0.2, freqs: [880, 1760], length: 0.28 },
      { at: 0.6, freqs: [659.25, 1318.5], length: 0.18 },
      { at: 0.8, freqs: [880, 1760], length: 0.28 },
    ],
  },
  // The European ring-back: 425 Hz, 1 s on, 4 s off.
  ringback: { period: 5, gain: 0.08, bursts: [{ at: 0, freqs: [425], length: 1 }] },
};

type AudioContextClass = typeof AudioContext;

export class Tone {
  private context: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  start(kind: ToneKind) {
    this.stop();
    const Context: AudioContextClass | undefined = typeof window === "undefined" ? undefined : (window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextClass }).webkitAudioContext);
    if (!Context) return;
    try {
      this.context = new Context();
    } catch {
      return;
    }
    const context = this.context;
    const pattern = PATTERNS[kind];
    const play = () => {
      if (context.state === "suspended") void context.resume().catch(() => undefined);
      const start = context.currentTime + 0.05;
      for (const burst of pattern.bursts) {
        const gain = context.createGain();
        gain.gain.setValueAtTime(0, start + burst.at);
        gain.gain.linearRampToValueAtTime(pattern.gain, start + burst.at + 0.02);
        gain.gain.setValueAtTime(pattern.gain, start + burst.at + burst.length - 0.04);
        gain.gain.linearRampToValueAtTime(0, start + burst.at + burst.length);
        gain.connect(context.destination);
        for (const freq of burst.freqs) {
          const oscillator = context.createOscillator();
          oscillator.frequency.value = freq;
          oscillator.connect(gain);
          oscillator.start(start + burst.at);
          oscillator.stop(start + burst.at + burst.length);
        }
      }
    };
    play();
    this.timer = setInterval(play, pattern.period * 1000);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    const context = this.context;
    this.context = null;
    // Closing the context silences what was scheduled at once.
    void context?.close().catch(() => undefined);
  }
}
