// What the call UI reads: the calls state of this tab, with its subscribers (for
// useSyncExternalStore) and short-lived notices. The call flow itself is controller.ts.
import type { CallsState, CurrentCall } from "./types";

export class CallStore {
  state: CallsState = { call: null, elsewhere: null, notice: null };
  private readonly listeners = new Set<() => void>();
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly noticeMs: number) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getState = () => this.state;

  protected set(patch: Partial<CallsState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  protected patchCall(patch: Partial<CurrentCall>) {
    if (this.state.call) this.set({ call: { ...this.state.call, ...patch } });
  }

  /** A line shown for a few seconds ("This call was answered elsewhere"). */
  protected notice(text: string) {
    clearTimeout(this.noticeTimer);
    this.set({ notice: text });
    this.noticeTimer = setTimeout(() => this.set({ notice: null }), this.noticeMs);
  }

  protected disposeStore() {
    clearTimeout(this.noticeTimer);
    this.listeners.clear();
  }
}
