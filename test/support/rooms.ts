// Rooms through the real HTTP API, for the rooms suites.
import assert from "node:assert/strict";
import type { ConversationDto, DirectoryRoomDto, RoomDto, RoomPreviewDto } from "../../lib/schemas/dto";
import type { TestUser } from "./users";

export async function createRoom(owner: TestUser, body: { name: string; topic?: string; public?: boolean }): Promise<{ conversation: ConversationDto; room: RoomDto }> {
  const response = await owner.api("/api/rooms", { method: "POST", body: JSON.stringify(body) });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as { conversation: ConversationDto; room: RoomDto };
}

export async function directory(user: TestUser, query: { q?: string; sort?: "activity" | "size" } = {}): Promise<DirectoryRoomDto[]> {
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
  const response = await user.api(`/api/rooms?${search}`);
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { rooms: DirectoryRoomDto[] }).rooms;
}

export const preview = (user: TestUser, roomId: string) => user.api(`/api/rooms/${roomId}`);
export const join = (user: TestUser, roomId: string) => user.api(`/api/rooms/${roomId}/join`, { method: "POST" });
export const leave = (user: TestUser, roomId: string) => user.api(`/api/rooms/${roomId}/leave`, { method: "POST" });
export const updateRoom = (user: TestUser, roomId: string, body: object) => user.api(`/api/rooms/${roomId}`, { method: "PATCH", body: JSON.stringify(body) });

export async function previewOf(user: TestUser, roomId: string): Promise<RoomPreviewDto> {
  const response = await preview(user, roomId);
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as RoomPreviewDto;
}

export async function errorCode(response: Response): Promise<string> {
  const text = await response.text();
  try {
    return (JSON.parse(text) as { error: { code: string } }).error.code;
  } catch {
    return `${response.status} ${text.slice(0, 80)}`;
  }
}
