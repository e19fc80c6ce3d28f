// The one error shape, as the documents describe it: the body of every failed HTTP response
// (`{ error }`), of every failed ack (`{ ok: false, error }`) and the `data` of `connect_error`.
// lib/errors.ts owns the codes and their statuses; this only describes them.
import { z } from "../schemas/zod";
import { AppError, ErrorCode } from "../errors";

export const ERROR_CODES = Object.values(ErrorCode);

/** What each code means to a client, for the documents' "Errors" sections. */
export const ERROR_MEANINGS: Record<ErrorCode, string> = {
  VALIDATION: "The request does not match its schema; `message` names the field. Do not retry unchanged.",
  UNAUTHORIZED: "No valid session cookie or bearer token (absent, expired, revoked, or signed out since).",
  FORBIDDEN: "Signed in, but not allowed: a token without the scope it needs, a role this action needs, or a cookie-authenticated write from another site.",
  FORBIDDEN_ORIGIN: "A socket handshake from a page whose origin the server does not allow (ALLOWED_ORIGINS). Clients that are not browsers send no Origin.",
  NOT_FOUND: "No such thing, or not one the caller may see: not being a member looks the same as not existing.",
  CONFLICT: "The state moved on (a call another tab already answered).",
  TOO_LARGE: "A body over a limit: a file over the size limit, or past the uploader's storage quota.",
  RATE_LIMITED: "Too many requests; `retryAfterMs` (and the Retry-After header over HTTP) says when to try again.",
  UNAVAILABLE: "The database did not answer in time. Retry with backoff.",
  INTERNAL: "A bug on the server, logged there. Retry later.",
};

// The status lives in lib/errors.ts (STATUS), reached through an AppError so it is not written twice.
export const statusOf = (code: ErrorCode): number => new AppError(code, code).status;

export const errorBodySchema = z
  .strictObject({
    code: z.enum(ERROR_CODES).meta({ description: "What went wrong, for code to branch on." }),
    message: z.string().meta({ description: "What went wrong, for people: safe to show." }),
    retryable: z.boolean().meta({ description: "Whether the same request may succeed later." }),
    retryAfterMs: z.int().min(0).optional().meta({ description: "When a retry can succeed (RATE_LIMITED), so a client need not guess." }),
  })
  .meta({ description: "The one error shape of every transport." });

export const errorResponseSchema = z.strictObject({ error: errorBodySchema }).meta({ description: "The body of every failed HTTP response." });

/** A socket request's answer: `{ ok: true, data }` or `{ ok: false, error }`. */
export const ackSchema = (data: z.ZodType) => z.union([z.strictObject({ ok: z.literal(true), data }), z.strictObject({ ok: z.literal(false), error: errorBodySchema })]);

/** Every route or event that authenticates can answer these, whatever it does. */
export const AUTHENTICATED_ERRORS: readonly ErrorCode[] = ["UNAUTHORIZED", "RATE_LIMITED", "UNAVAILABLE", "INTERNAL"];
