import type { GroupChange } from "../chat/groups";
import { messageUpdateOf, type MessageChangeResult } from "../chat/message-changes";
import { notifyAbsent, pushEventOf } from "../push/notify";
import { attendingIn } from "../redis/attending";
import { getRedis } from "../redis/client";
import { fanOut } from "./fanout";
import { postInternal } from "./internal-client";
import { INTERNAL_EVENTS_PATH, type InternalEvent } from "./internal-events";
import { StreamEmitter } from "./stream-emitter";

const ANNOUNCE_TIMEOUT_MS = 1_500;

/**
 * Tells the socket servers (the only broadcasters) about a write that came in over HTTP: with
 * Redis, by writing its fan-out into the stream they all read (the same fan-out a socket write
 * makes, lib/fanout/fanout.ts); without, by posting it to the one socket server.
 * Best effort by design: the write is already stored, and a client that misses the
 * broadcast converges through sync, so a failure here is logged, never surfaced.
 */
export async function announce(event: InternalEvent, { attempts = 1 }: { attempts?: number } = {}): Promise<boolean> {
  for (let attempt = 1; attempt < attempts; attempt += 1) {
    if (await announceOnce(event)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
  return announceOnce(event);
}

async function announceOnce(event: InternalEvent): Promise<boolean> {
  const redis = getRedis();
  if (redis) {
    try {
      const emitter = new StreamEmitter(redis);
      fanOut(emitter, event);
      await emitter.commit();
      // With Redis no socket server sees this announcement as such (only its broadcasts), so the
      // web app decides about push itself, once, asking Redis who has a tab in view.
      const push = pushEventOf(event);
      if (push) notifyAbsent(push, { attending: (userIds) => attendingIn(redis, userIds) });
      return true;
    } catch (error) {
      console.warn(`[announce] ${event.type}: Redis unavailable (${(error as Error).message})`);
      return false;
    }
  }
  try {
    const response = await postInternal(INTERNAL_EVENTS_PATH, event, ANNOUNCE_TIMEOUT_MS);
    if (!response.ok) console.warn(`[announce] ${event.type}: socket server answered ${response.status}`);
    return response.ok;
  } catch (error) {
    console.warn(`[announce] ${event.type}: socket server unreachable (${(error as Error).name})`);
    return false;
  }
}

/**
 * A change of a group's name or members. Awaited, and retried: a removed member's sockets
 * leave the room only when this arrives, so it is what ends their live view of the group. When
 * it cannot arrive, the socket server is unreachable, and its sockets re-check their rooms
 * when they reconnect.
 */
export async function announceGroupChange({ changed, ...change }: GroupChange): Promise<void> {
  if (changed) await announce({ type: "conversation:updated", ...change }, { attempts: 3 });
}

/** A change to a stored message: after the response, like a send (a lost one is repaired by sync). */
export async function announceMessageChange(result: MessageChangeResult): Promise<void> {
  const update = messageUpdateOf(result);
  if (update) await announce({ type: "message:updated", ...update });
}
