// The browser's requests about rooms: the directory, previews, creating and changing rooms (the
// route handlers under /api/rooms, same-origin with the session cookie), and joining and leaving
// (the socket first, those routes as the fallback). Imported only by the lazily loaded room parts.
import type { ErrorBody } from "../errors";
import type { Ack } from "../realtime/events";
import type { ConversationDto, DirectoryRoomDto, RoomDto, RoomPreviewDto, UserDto } from "../schemas/dto";
import type { RealtimeClient } from "./realtime-client";

async function call<T>(method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<Ack<T>> {
  try {
    const response = await fetch(path, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    if (response.status === 204) return { ok: true, data: {} as T };
    const json = (await response.json().catch(() => null)) as ({ error?: ErrorBody } & T) | null;
    if (response.ok && json) return { ok: true, data: json };
    return { ok: false, error: json?.error ?? { code: "UNAVAILABLE", message: `The server answered ${response.status}`, retryable: true } };
  } catch {
    return { ok: false, error: { code: "UNAVAILABLE", message: "You are offline; try again when you are back online", retryable: true } };
  }
}

const room = (id: string) => `/api/rooms/${encodeURIComponent(id)}`;

export type RoomSort = "activity" | "size";
export type RoomChange = { name?: string; topic?: string; public?: boolean; archived?: boolean };

export const roomsApi = {
  directory: async (q: string, sort: RoomSort): Promise<Ack<DirectoryRoomDto[]>> => {
    const result = await call<{ rooms: DirectoryRoomDto[] }>("GET", `/api/rooms?${new URLSearchParams({ q, sort })}`);
    return result.ok ? { ok: true, data: result.data.rooms } : result;
  },
  preview: (id: string) => call<RoomPreviewDto>("GET", room(id)),
  create: (input: { name: string; topic: string; public: boolean }) => call<{ conversation: ConversationDto; room: RoomDto }>("POST", "/api/rooms", input),
  update: (id: string, change: RoomChange) => call<{ room: RoomDto | null }>("PATCH", room(id), change),
  join: (client: RealtimeClient, id: string) =>
    client.request<{ conversation: ConversationDto }, "room:join">("room:join", { conversationId: id }, () => call("POST", `${room(id)}/join`)),
  leave: (client: RealtimeClient, id: string) =>
    client.request<Record<string, never>, "room:leave">("room:leave", { conversationId: id }, () => call("POST", `${room(id)}/leave`)),
  role: () => call<{ role: "admin" | null; admins: UserDto[] }>("GET", "/api/admins"),
  setAdmin: (userId: string, admin: boolean) => call<{ role: "admin" | null; admins: UserDto[] }>(admin ? "PUT" : "DELETE", `/api/admins/${encodeURIComponent(userId)}`),
};

/** Applies a live directory event to a list: updated in place, added when new and listed, dropped when no longer listed. */
export function applyRoomEvent(rooms: DirectoryRoomDto[], event: RoomDto, joinedIds: ReadonlySet<string>): DirectoryRoomDto[] {
  const known = rooms.find((r) => r.id === event.id);
  if (!event.listed) return known ? rooms.filter((r) => r.id !== event.id) : rooms;
  const next = { ...event, joined: joinedIds.has(event.id) || (known?.joined ?? false) };
  return known ? rooms.map((r) => (r.id === event.id ? next : r)) : [next, ...rooms];
}
