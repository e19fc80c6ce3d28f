import { CALL_LEASE_MS, finish, recordCall, type CallChange } from "../lib/chat";
import { leasesPast, LIVE_STATES, ringingPast, setLeases, unrecordedBefore, type PartyRole } from "../lib/db/calls";
import type { ParleySocket } from "./types";

/** Renewed this often, so a lease (CALL_LEASE_MS) outlives two missed renewals. */
const RENEW_EVERY_MS = 3_000;
/** Ringing times and leases are looked at this often; the precision of "no answer after 45 s". */
const SWEEP_EVERY_MS = 1_000;
/** An ended call's entry is normally written at once; one still missing after this was left by a crash. */
const UNRECORDED_AFTER_MS = 5_000;

/**
 * This socket server's part in keeping calls honest (DESIGN.md "Calls"): the party tabs connected
 * here, whose leases it renews; the grace period it starts when one of them disconnects; and a
 * sweep that ends calls nobody answered in time or whose party's lease lapsed (a tab that did not
 * come back, or a socket server that died: its leases stop being renewed). Every socket server
 * sweeps; the atomic end in lib/chat/calls.ts lets one of them win each call.
 */
export class CallLeases {
  /** socket id → the calls it is a party of, with its role in each. */
  private readonly held = new Map<string, Map<string, PartyRole>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private sweeping = false;
  private failing = false;

  constructor(
    private readonly options: {
      graceMs: number;
      /** Whether a socket is connected to any socket server now. */
      connected: (socketId: string) => Promise<boolean>;
      onEnded: (change: CallChange) => void;
      onRecorded: (change: CallChange) => void;
    },
  ) {}

  start(): void {
    this.timers.push(setInterval(() => void this.renew(), RENEW_EVERY_MS).unref(), setInterval(() => void this.sweep(), SWEEP_EVERY_MS).unref());
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  /** The socket took part in the call (placed, answered or resumed it). */
  hold(socket: ParleySocket, callId: string, role: PartyRole): void {
    let calls = this.held.get(socket.id);
    if (!calls) this.held.set(socket.id, (calls = new Map()));
    calls.set(callId, role);
  }

  release(socketId: string, callId: string): void {
    const calls = this.held.get(socketId);
    calls?.delete(callId);
    if (calls?.size === 0) this.held.delete(socketId);
  }

  /** The socket closed: each call it was a party of now waits the grace period for the tab to come back (call:resume). */
  async disconnected(socket: ParleySocket): Promise<void> {
    const calls = this.held.get(socket.id);
    if (!calls) return;
    this.held.delete(socket.id);
    const parties = [...calls].map(([id, role]) => ({ id, role, socketId: socket.id }));
    await setLeases(parties, new Date(Date.now() + this.options.graceMs)).catch((error: Error) =>
      console.error(`[socket] calls: could not start the grace period of ${parties.length} call(s): ${error.message}`),
    );
  }

  private async renew(): Promise<void> {
    const parties = [...this.held].flatMap(([socketId, calls]) => [...calls].map(([id, role]) => ({ id, role, socketId })));
    await setLeases(parties, new Date(Date.now() + CALL_LEASE_MS)).catch((error: Error) => this.report(error));
  }

  /** One pass; public for tests. Overlapping passes are skipped: the next tick picks up whatever is left. */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const now = new Date();
      for (const call of await ringingPast({ now })) {
        // Nobody answered; but if the caller's tab is gone (its socket server died, or its
        // connection did and has not come back), the call had failed before anyone could.
        const outcome = (await this.options.connected(call.caller.socketId)) ? "missed" : "failed";
        const ended = await finish(call._id, ["ringing"], () => outcome);
        if (ended) this.options.onEnded(ended);
      }
      for (const call of await leasesPast({ now })) {
        const ended = await finish(call._id, LIVE_STATES, (state) => (state === "active" ? "completed" : "failed"));
        if (ended) this.options.onEnded(ended);
      }
      for (const call of await unrecordedBefore({ before: new Date(now.getTime() - UNRECORDED_AFTER_MS) })) {
        const entry = await recordCall(call);
        this.options.onRecorded({ call, entry });
      }
      this.failing = false;
    } catch (error) {
      this.report(error as Error);
    } finally {
      this.sweeping = false;
    }
  }

  /** The database is away: said once, not every second; the sweep catches up when it is back. */
  private report(error: Error): void {
    if (this.failing) return;
    this.failing = true;
    console.error(`[socket] calls: sweep or lease renewal failed, will retry: ${error.message}`);
  }
}
