"use client";

import { Suspense } from "react";
import type { ChatEngine } from "@/lib/client/engine";
import type { ConversationDto } from "@/lib/schemas/dto";
import { GroupDetails, RoomDetails } from "./lazy-parts";

/** The details beside an open group or room (members, name, topic…); a direct conversation has none. */
export function ConversationDetails({ conversation, me, engine, onClose }: { conversation: ConversationDto; me: string; engine: ChatEngine; onClose: () => void }) {
  if (conversation.kind === "group") {
    return (
      <Suspense fallback={null}>
        <GroupDetails key={`group-${conversation.id}`} conversation={conversation} me={me} onChange={(request) => engine.changeGroup(request)} onClose={onClose} />
      </Suspense>
    );
  }
  if (conversation.kind === "room") {
    return (
      <Suspense fallback={null}>
        <RoomDetails key={`room-${conversation.id}`} conversation={conversation} me={me} engine={engine} onClose={onClose} />
      </Suspense>
    );
  }
  return null;
}
