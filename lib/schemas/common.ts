import { z } from "./zod";

/** A MongoDB ObjectId in its 24-hex-character string form: the only id shape we accept. */
export const idSchema = z.string().regex(/^[a-f0-9]{24}$/, { error: "must be a 24-character hex id" });

export const clientMsgIdSchema = z.uuid({ error: "must be a UUID" });

export const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
