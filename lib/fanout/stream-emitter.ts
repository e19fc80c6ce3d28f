// The web app's Socket.IO emitter for the Redis Streams adapter. `@socket.io/redis-emitter` speaks
// the classic Redis adapter's pub/sub protocol, which the streams adapter does not read, so this
// writes the adapter's own cluster messages (socket.io-adapter's ClusterAdapter format) into the
// stream every socket server reads: broadcasts get stream offsets like any other (connection state
// recovery replays them), and they are ordered with everything the socket servers broadcast.
// One announcement is one MULTI: its steps land together and in order, or not at all.
import type { Redis } from "ioredis";
import { MessageType } from "socket.io-adapter";
import type { ServerToClientEvents } from "../realtime/events";
import type { Broadcaster, Target } from "./fanout";

/** The stream the socket servers' adapter reads (socket-server/cluster.ts) and its length cap. */
export const STREAM_NAME = "parley:socket.io";
export const STREAM_MAX_LEN = 10_000;
/** Sent to every socket server: presence of a conversation's members, each to its own sockets. */
export const PRESENCE_MEMBERS_EVENT = "parley:presence-members";

// Adapters ignore messages carrying their own uid; this one is never an adapter's (theirs are hex).
const EMITTER_UID = "parley-web-emitter";
const NAMESPACE = "/";
const EVENT_PACKET = 2;

type Step = { type: MessageType; data: object };
type Rooms = string | string[];
const list = (rooms: Rooms) => (Array.isArray(rooms) ? rooms : [rooms]);

export class StreamEmitter implements Broadcaster {
  private readonly steps: Step[] = [];

  constructor(private readonly redis: Redis) {}

  to(rooms: Rooms): Target {
    return this.target(list(rooms), []);
  }

  announceMembers(conversationId: string, memberIds: string[]): void {
    this.steps.push({ type: MessageType.SERVER_SIDE_EMIT, data: { packet: [PRESENCE_MEMBERS_EVENT, conversationId, memberIds] } });
  }

  /** Writes the steps so far in one transaction; throws when Redis refused or could not be reached. */
  async commit(): Promise<void> {
    const steps = this.steps.splice(0);
    if (steps.length === 0) return;
    const multi = this.redis.multi();
    for (const { type, data } of steps) {
      multi.xadd(STREAM_NAME, "MAXLEN", "~", STREAM_MAX_LEN, "*", "uid", EMITTER_UID, "nsp", NAMESPACE, "type", String(type), "data", JSON.stringify(data));
    }
    const results = await multi.exec();
    const failed = results?.find(([error]) => error !== null);
    if (!results || failed) throw new Error(`Redis refused the announcement${failed ? `: ${failed[0]?.message}` : ""}`);
  }

  private target(rooms: string[], except: string[]): Target {
    const opts = { rooms, except, flags: {} };
    const add = (type: MessageType, data: object) => void this.steps.push({ type, data });
    const target: Target = {
      except: (more) => this.target(rooms, [...except, ...list(more)]),
      emit: <E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>) =>
        add(MessageType.BROADCAST, { packet: { type: EVENT_PACKET, nsp: NAMESPACE, data: [event, ...args] }, opts }),
      socketsJoin: (joined) => add(MessageType.SOCKETS_JOIN, { opts, rooms: list(joined) }),
      socketsLeave: (left) => add(MessageType.SOCKETS_LEAVE, { opts, rooms: list(left) }),
      disconnectSockets: (close = false) => add(MessageType.DISCONNECT_SOCKETS, { opts, close }),
    };
    return target;
  }
}
