// The one part of calls that is always loaded (with the engine): it listens for the server's call
// events from the moment the socket exists and keeps them until the call engine (controller.ts, a
// chunk of its own) has loaded, so a ring that arrives first is never lost, and asks for that
// chunk the moment a call concerns this tab.
import type { ClientSocket } from "../realtime-client";
import type { ServerToClientEvents } from "../../realtime/events";
import type { CallMedia } from "../../schemas/call";

export type CallEvent = { [E in CallEventName]: { event: E; payload: Parameters<ServerToClientEvents[E]>[0] } }[CallEventName];
type CallEventName = "call:ringing" | "call:answered" | "call:answered-elsewhere" | "call:ended" | "call:signal";

const NAMES: CallEventName[] = ["call:ringing", "call:answered", "call:answered-elsewhere", "call:ended", "call:signal"];
// A ring heard before the call code loads waits here; nothing near this many events comes that fast.
const QUEUE_MAX = 200;

export class CallInbox {
  private queue: CallEvent[] = [];
  private consumer: ((event: CallEvent) => void) | null = null;
  private placer: ((conversationId: string, media: CallMedia) => void) | null = null;
  /** A call button pressed before the call code loaded. */
  private placing: { conversationId: string; media: CallMedia } | null = null;
  private readonly wanted = new Set<() => void>();

  attach(socket: ClientSocket | null) {
    // One listener per event name; the map is typed per name, so the loop goes through a looser view of it.
    const loose = socket as unknown as { on(event: string, listener: (payload: unknown) => void): void } | null;
    for (const name of NAMES) loose?.on(name, (payload) => this.push({ event: name, payload } as CallEvent));
  }

  /** Called once the call code is wanted (a ring came in). */
  onWanted(listener: () => void): () => void {
    this.wanted.add(listener);
    if (this.queue.length > 0) listener();
    return () => this.wanted.delete(listener);
  }

  /** A call button: placed at once when the call code is here, or as soon as it has loaded. */
  place(conversationId: string, media: CallMedia) {
    if (this.placer) return this.placer(conversationId, media);
    this.placing = { conversationId, media };
    for (const listener of this.wanted) listener();
  }

  /** The call engine takes over: first what waited, in order, then every event as it comes. */
  consume(consumer: ((event: CallEvent) => void) | null, placer: ((conversationId: string, media: CallMedia) => void) | null = null) {
    this.consumer = consumer;
    this.placer = placer;
    if (!consumer) return;
    for (const event of this.queue.splice(0)) consumer(event);
    const placing = this.placing;
    this.placing = null;
    if (placing && placer) placer(placing.conversationId, placing.media);
  }

  private push(event: CallEvent) {
    if (this.consumer) return this.consumer(event);
    this.queue.push(event);
    if (this.queue.length > QUEUE_MAX) this.queue.shift();
    for (const listener of this.wanted) listener();
  }
}
