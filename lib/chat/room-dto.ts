import type { ConversationDoc, RoomFields } from "../db/conversations";
import type { RoomDto, RoomInfo } from "../schemas/dto";
import { nameTerms } from "./room-terms";

/** Listed in the directory: public and not archived. */
export const isListed = (doc: Pick<ConversationDoc, "visibility" | "archivedAt">): boolean => doc.visibility === "public" && !doc.archivedAt;

/** The fields that follow from a room's name, visibility and archive state: `listed`, and the name's terms while listed (removed otherwise). */
export function directoryFields(doc: Pick<ConversationDoc, "name" | "visibility" | "archivedAt">): RoomFields {
  return isListed(doc) ? { listed: true, nameTerms: nameTerms(doc.name ?? "") } : { listed: undefined, nameTerms: undefined };
}

export function toRoomInfo(doc: ConversationDoc): RoomInfo {
  return { topic: doc.topic ?? "", public: doc.visibility === "public", archived: Boolean(doc.archivedAt), memberCount: Math.max(0, doc.memberCount ?? 0) };
}

export function toRoomDto(doc: ConversationDoc): RoomDto {
  return {
    id: doc._id.toHexString(),
    name: doc.name ?? "",
    ...toRoomInfo(doc),
    listed: isListed(doc),
    lastActivityAt: doc.lastActivityAt.toISOString(),
    createdAt: doc.createdAt.toISOString(),
  };
}
