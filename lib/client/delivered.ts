// "This client now holds everything up to seq", reported once per conversation per short window:
// the watermark behind the sender's ✓✓. A report that is not acknowledged is forgotten, so the
// next message or sync reports it again.
export class DeliveredReporter {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly reported = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly options: {
      /** The watermark the server already holds for this client's user, if known. */
      stored: (conversationId: string) => number;
      send: (input: { conversationId: string; seq: number }) => Promise<{ ok: boolean; retryable: boolean }>;
      delayMs: number;
    },
  ) {}

  note(conversationId: string, seq: number) {
    if (this.closed || seq <= 0) return;
    if (seq <= Math.max(this.reported.get(conversationId) ?? 0, this.options.stored(conversationId))) return;
    this.reported.set(conversationId, seq);
    if (this.timers.has(conversationId)) return;
    this.timers.set(
      conversationId,
      setTimeout(() => void this.flush(conversationId), this.options.delayMs),
    );
  }

  private async flush(conversationId: string) {
    this.timers.delete(conversationId);
    const seq = this.reported.get(conversationId);
    if (this.closed || seq === undefined) return;
    const result = await this.options.send({ conversationId, seq });
    if (!result.ok && result.retryable && this.reported.get(conversationId) === seq) this.reported.delete(conversationId);
  }

  close() {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
