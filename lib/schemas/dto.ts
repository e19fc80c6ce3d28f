// Shapes that leave the server (socket payloads, HTTP bodies, server action results).
// Ids are strings named `id`; dates are ISO strings.
//
// Each shape is a zod schema and its type is inferred from it: the types are what the code uses
// (the browser imports them with `import type` only, so no zod reaches its bundle), the schemas
// are what lib/contract turns into the OpenAPI and AsyncAPI documents. They are never used to
// parse what the server sends. Strict objects: a field the server sends that is not written here
// is a field the documents do not describe, and the contract test fails on it.
// Descriptions are the fields' documentation, for people reading this file and the documents alike.
import { z } from "./zod";
import { CALL_MEDIA, CALL_OUTCOMES, CALL_STATES } from "./call";
import { FILE_KINDS } from "./file";

/** An ISO 8601 time in UTC, as `Date.prototype.toISOString` writes it. */
const isoTime = z.iso.datetime();
/** A seq, a version, a count: a whole number from 0. */
const count = z.int().min(0);
const callMediaSchema = z.enum(CALL_MEDIA);
const callOutcomeSchema = z.enum(CALL_OUTCOMES);

export const userDtoSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    email: z.string().optional(),
    emailHint: z.string().optional(),
    avatar: z.string().optional(),
  })
  .meta({
    description:
      "`email` only where the viewer already knows it (their own, or a search for that exact address); " +
      '`emailHint`, a masked address ("b•••n@e•••.com"), in other search results: enough to tell two ' +
      "people of the same name apart.",
  });
export type UserDto = z.infer<typeof userDtoSchema>;

export const memberDtoSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    role: z.enum(["owner", "admin", "member"]),
    deliveredSeq: count,
    readSeq: count,
    avatar: z.string().optional(),
  })
  .meta({
    description:
      "A member and their watermarks: every message up to `deliveredSeq` reached one of their clients, " +
      "up to `readSeq` was read. The `owner` of a group may remove members.",
  });
export type MemberDto = z.infer<typeof memberDtoSchema>;

export const profileDtoSchema = z
  .strictObject({ id: z.string(), name: z.string(), avatar: z.string().nullable() })
  .meta({
    description:
      "`avatar`: the version of their profile picture, served at /api/users/:id/avatar?v=<avatar>; " +
      "absent (or null in `user:updated`) when they show their initials.",
  });
export type ProfileDto = z.infer<typeof profileDtoSchema>;

export const callEntryDtoSchema = z
  .strictObject({ id: z.string(), media: callMediaSchema, outcome: callOutcomeSchema, callerId: z.string(), durationMs: z.number().nullable() })
  .meta({ description: "`durationMs`: from connecting to hanging up, on a completed call." });
export type CallEntryDto = z.infer<typeof callEntryDtoSchema>;

export const fileDtoSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    size: count,
    kind: z.enum(FILE_KINDS),
    width: z.number().optional(),
    height: z.number().optional(),
  })
  .meta({
    description:
      "An uploaded file, as POST /api/uploads answers it and a message carries it. `type` is what the " +
      "server found in the content (never what the client said); `kind` says how it is shown. An image " +
      "has its `width` and `height` (as shown, after EXIF rotation), so a page can size it before it loads. " +
      "Served at /api/files/:id (the original; inline for video and audio, a download for the rest), " +
      "/api/files/:id/thumbnail and /api/files/:id/preview (images: re-encoded, metadata stripped).",
  });
export type FileDto = z.infer<typeof fileDtoSchema>;
export const attachmentDtoSchema = fileDtoSchema;
export type AttachmentDto = FileDto;

export const reactionDtoSchema = z.strictObject({ emoji: z.string(), userIds: z.array(z.string()) });
export type ReactionDto = z.infer<typeof reactionDtoSchema>;

export const replyPreviewSchema = z
  .strictObject({ id: z.string(), seq: count, senderName: z.string(), excerpt: z.string() })
  .meta({ description: 'The quoted message: its sender and an excerpt ("" once it was deleted), and its seq to jump to it.' });
export type ReplyPreview = z.infer<typeof replyPreviewSchema>;

export const messageDtoSchema = z.strictObject({
  id: z.string(),
  conversationId: z.string(),
  seq: count,
  version: count,
  senderId: z.string(),
  senderName: z.string(),
  clientMsgId: z.string(),
  kind: z.enum(["text", "system", "call"]),
  text: z.string(),
  call: callEntryDtoSchema
    .optional()
    .meta({ description: "On a `call` entry: which call, and how it went (the text is the same as a sentence, for previews)." }),
  attachments: z
    .array(attachmentDtoSchema)
    .optional()
    .meta({ description: 'The files it carries, in order (absent when none, and once deleted); `text` is their caption, maybe "".' }),
  replyTo: z.string().nullable(),
  replyPreview: replyPreviewSchema
    .nullable()
    .meta({ description: "What the reply quotes, resolved by the server so it shows even when the original is not loaded; null when not a reply." }),
  mentions: z.array(z.string()).meta({ description: "Ids of the members it mentions." }),
  createdAt: isoTime,
  editedAt: isoTime.nullable(),
  deletedAt: isoTime.nullable().meta({ description: "Deleted for everyone: `text` is empty and there are no reactions." }),
  reactions: z.array(reactionDtoSchema).meta({ description: "Each emoji once, in the order first used, with who reacted with it." }),
  pinnedAt: isoTime.nullable(),
  pinnedBy: z.string().nullable(),
  hidden: z
    .literal(true)
    .optional()
    .meta({ description: "Viewer-specific, and only ever sent to that viewer: they deleted it for themselves (text is empty)." }),
});
export type MessageDto = z.infer<typeof messageDtoSchema>;

export const callDtoSchema = z
  .strictObject({
    id: z.string(),
    conversationId: z.string(),
    callerId: z.string(),
    calleeId: z.string(),
    media: callMediaSchema,
    state: z.enum(CALL_STATES),
    outcome: callOutcomeSchema.nullable(),
    answeredMedia: callMediaSchema.nullable(),
    createdAt: isoTime,
    ringMs: z.number(),
    connectedAt: isoTime.nullable(),
    endedAt: isoTime.nullable(),
  })
  .meta({
    description:
      "A call as either person's tabs see it; party ids and sockets never leave the server. " +
      "`ringMs`: how long it still rings when sent (a client's clock need not agree with the server's). " +
      "`answeredMedia`: what the callee's answering tab sends.",
  });
export type CallDto = z.infer<typeof callDtoSchema>;

export const lastMessageDtoSchema = z.strictObject({
  seq: count,
  kind: messageDtoSchema.shape.kind.meta({ description: "A system message (a group change) is shown without its sender in front." }),
  senderId: z.string(),
  senderName: z.string(),
  preview: z.string(),
  createdAt: isoTime,
});
export type LastMessageDto = z.infer<typeof lastMessageDtoSchema>;

export const roomInfoSchema = z
  .strictObject({ topic: z.string(), public: z.boolean(), archived: z.boolean(), memberCount: count })
  .meta({ description: "A room's own fields. `memberCount`: stored, moved with each join and leave, never recounted." });
export type RoomInfo = z.infer<typeof roomInfoSchema>;

export const conversationDtoSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(["direct", "group", "room"]),
  name: z.string().nullable().meta({ description: "The group's or room's name; null for direct conversations (the client shows the other member)." }),
  room: roomInfoSchema.optional().meta({ description: "Rooms only: what the header and the directory show of it." }),
  members: z.array(memberDtoSchema),
  lastSeq: count.meta({ description: "The seq of the last message (0 when none)." }),
  lastMessage: lastMessageDtoSchema.nullable(),
  createdAt: isoTime,
  lastActivityAt: isoTime,
  unreadCount: count.meta({ description: "Viewer-specific." }),
  lastReadSeq: count,
  markedUnread: z.boolean().meta({ description: 'The viewer marked it as unread ("Mark as unread"); cleared when they read it.' }),
  muted: z.boolean().meta({ description: "The viewer muted it: no toast or browser notification for its messages." }),
  unreadMentions: count.meta({ description: "Unread messages that mention the viewer (capped like unreadCount)." }),
});
export type ConversationDto = z.infer<typeof conversationDtoSchema>;

export const conversationSummarySchema = conversationDtoSchema
  .pick({ id: true, kind: true, name: true, members: true, room: true })
  .extend({
    memberDelta: z
      .strictObject({ added: z.array(memberDtoSchema), removed: z.array(z.string()) })
      .optional()
      .meta({
        description:
          "A large room's change: who joined and who left, instead of the whole list (then `members` is " +
          "empty). Clients apply it to the members they hold.",
      }),
  })
  .meta({ description: "A conversation as every member sees it, without the viewer-specific fields: what `conversation:updated` carries." });
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const roomDtoSchema = roomInfoSchema
  .extend({ id: z.string(), name: z.string(), listed: z.boolean(), lastActivityAt: isoTime, createdAt: isoTime })
  .meta({
    description:
      "A room as the directory lists it, and as `room:created` and `room:updated` carry it to every " +
      "signed-in client. `listed`: public and not archived (false: it leaves the directory).",
  });
export type RoomDto = z.infer<typeof roomDtoSchema>;

export const directoryRoomDtoSchema = roomDtoSchema.extend({ joined: z.boolean() }).meta({ description: "A directory row: `joined` is the viewer's own." });
export type DirectoryRoomDto = z.infer<typeof directoryRoomDtoSchema>;

export const roomPreviewDtoSchema = z
  .strictObject({ room: directoryRoomDtoSchema, messages: z.array(messageDtoSchema) })
  .meta({ description: "A read-only look at a room before joining: its recent messages, and nothing of its members but their count." });
export type RoomPreviewDto = z.infer<typeof roomPreviewDtoSchema>;

export const presenceDtoSchema = z
  .strictObject({ userId: z.string(), online: z.boolean(), lastSeenAt: isoTime.nullable() })
  .meta({
    description:
      "Whether someone is online (on any of their tabs and devices) and, when not, when they were last " +
      "seen (null while online, or when never seen). Only ever sent to people who share a conversation with them.",
  });
export type PresenceDto = z.infer<typeof presenceDtoSchema>;

export const messagePageSchema = z
  .strictObject({
    messages: z.array(messageDtoSchema),
    hasMore: z.boolean(),
    version: count,
    hasNewer: z
      .boolean()
      .optional()
      .meta({ description: "On `after` and `around` pages: whether messages newer than the page exist (the window stops short of the end)." }),
    pinned: z
      .array(messageDtoSchema)
      .optional()
      .meta({ description: "On the newest page and `around` windows (no `before` or `after`): every pinned message of the conversation, newest pin first." }),
  })
  .meta({ description: "`version`: the conversation's version read before the query, a safe point to sync from." });
export type MessagePage = z.infer<typeof messagePageSchema>;

export const syncResultSchema = z.strictObject({ messages: z.array(messageDtoSchema), version: count, hasMore: z.boolean() });
export type SyncResult = z.infer<typeof syncResultSchema>;

export const searchResultSchema = z
  .strictObject({
    hits: z.array(messageDtoSchema),
    cursor: z.string().nullable(),
    words: z.array(z.string()),
    phrases: z.array(z.array(z.string())),
    partial: z.boolean(),
    expanded: z.boolean(),
  })
  .meta({
    description:
      "A page of search results, newest first: messages, each naming its conversation (which the " +
      "searcher is a member of, so their conversation list has it). `words` and `phrases` are the query as it matched " +
      "(folded, lib/search/words.ts) for highlighting (matchRanges); `cursor` fetches the next page, " +
      "null at the end. `partial`: the page stopped early after reading its share of the index; " +
      "fetching on with the cursor continues where it stopped. `expanded`: some word had more " +
      "completions than a search takes (a longer prefix narrows it).",
  });
export type SearchResult = z.infer<typeof searchResultSchema>;
