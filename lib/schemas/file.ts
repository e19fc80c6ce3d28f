// Files: what a message may refer to, and what the typing line says while they upload.
// The upload itself is a raw HTTP body (POST /api/uploads?name=…), not a schema: see DESIGN.md "Attachments".
import { z } from "./zod";
import { idSchema } from "./common";
import { FILES_PER_MESSAGE } from "./limits";

export { FILES_PER_MESSAGE };

/** How a file is shown: inline as a picture, a player, or a card that downloads. Decided by the server from the content. */
export const FILE_KINDS = ["image", "video", "audio", "file"] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** The ids of uploaded files a message refers to, each once, in the order they are shown. */
export const attachmentIdsSchema = z
  .array(idSchema)
  .min(1, { error: "attachments: give at least one file id, or leave attachments out" })
  .max(FILES_PER_MESSAGE, { error: `At most ${FILES_PER_MESSAGE} files per message` })
  .refine((ids) => new Set(ids).size === ids.length, { error: "attachments: each file once" });

/** What a member is sending while a message's files upload, for the typing line ("Ana is sending a photo…"). */
export const UPLOAD_ACTIVITIES = ["photo", "video", "audio", "file"] as const;
export type UploadActivity = (typeof UPLOAD_ACTIVITIES)[number];
