import type { ZodError } from "zod";

export const ErrorCode = {
  VALIDATION: "VALIDATION",
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  /** A socket handshake from a page whose Origin the server does not allow (ALLOWED_ORIGINS). */
  FORBIDDEN_ORIGIN: "FORBIDDEN_ORIGIN",
  UNAUTHORIZED: "UNAUTHORIZED",
  CONFLICT: "CONFLICT",
  /** A body over a limit: a file over FILE_MAX_BYTES, or past the uploader's storage quota. */
  TOO_LARGE: "TOO_LARGE",
  RATE_LIMITED: "RATE_LIMITED",
  UNAVAILABLE: "UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** `retryAfterMs`: when a retry can succeed (RATE_LIMITED), so a client need not guess. */
export type ErrorBody = { code: ErrorCode; message: string; retryable: boolean; retryAfterMs?: number };

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  FORBIDDEN_ORIGIN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

const RETRYABLE = new Set<ErrorCode>(["RATE_LIMITED", "UNAVAILABLE", "INTERNAL"]);

// A Next.js production build can give each route its own copy of a lib/ module, so an AppError
// made by one copy (say by the database breaker, which lives on globalThis and was created by
// whichever route reached the database first) fails `instanceof` against another copy's class
// and would be reported as INTERNAL. A registered symbol is the same in every copy.
const APP_ERROR = Symbol.for("parley.AppError");

/** The one error type of the domain; each transport renders it (ack, Response, action state). */
export class AppError extends Error {
  readonly [APP_ERROR] = true;
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** For validation errors: the message without the field path, for a form that shows it beside the field. */
  readonly plainMessage: string;
  readonly retryAfterMs: number | undefined;
  /**
   * For a form: the message for each input field the error is about, by the field's top-level
   * name ("email"), so every wrong field can be marked at once instead of only the first.
   */
  readonly fieldErrors: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryable?: boolean; plainMessage?: string; retryAfterMs?: number; fieldErrors?: Record<string, string> },
  ) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.retryable = options?.retryable ?? RETRYABLE.has(code);
    this.plainMessage = options?.plainMessage ?? message;
    this.retryAfterMs = options?.retryAfterMs;
    this.fieldErrors = options?.fieldErrors ?? {};
  }

  /** `instanceof AppError` holds for an AppError of any copy of this module. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [APP_ERROR]?: unknown })[APP_ERROR] === true;
  }

  get status(): number {
    return STATUS[this.code];
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.retryAfterMs !== undefined) body.retryAfterMs = this.retryAfterMs;
    return body;
  }

  static fromZod(error: ZodError): AppError {
    const issue = error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    const plainMessage = issue?.message ?? "invalid input";
    const byField = new Map<string, string>();
    for (const { path, message } of error.issues) {
      const field = path[0];
      // The first issue of a field is the one to fix first ("Enter your name" before its length).
      if (field !== undefined && !byField.has(String(field))) byField.set(String(field), message);
    }
    return new AppError("VALIDATION", `${where}${plainMessage}`, { plainMessage, fieldErrors: Object.fromEntries(byField) });
  }
}

export const notFound = (what = "Conversation") => new AppError("NOT_FOUND", `${what} not found`);

// Driver errors that mean "the database is not reachable right now", as opposed to a bug.
const UNAVAILABLE_ERRORS = new Set([
  "MongoServerSelectionError",
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoTopologyClosedError",
  "MongoNotConnectedError",
  "MongoOperationTimeoutError",
  // Names as the driver's classes report them (`error.name`), not their class names.
  "MongoPoolClearedError",
  "PoolClearedOnNetworkError",
  "MongoPoolClosedError",
  "MongoServerClosedError",
  "MongoClientClosedError",
  // Every connection is busy for longer than the pool's wait limit: back off and retry.
  "MongoWaitQueueTimeoutError",
]);

// An outage fails every request the same way: one line per interval says so, with a count,
// instead of one line per request. (lib/db's breaker logs when it starts and ends.)
const UNAVAILABLE_LOG_INTERVAL_MS = 10_000;
let lastUnavailableLog = -Infinity;
let unavailableNotLogged = 0;

function logUnavailable(context: string, error: Error): void {
  const now = Date.now();
  if (now - lastUnavailableLog < UNAVAILABLE_LOG_INTERVAL_MS) {
    unavailableNotLogged += 1;
    return;
  }
  const more = unavailableNotLogged > 0 ? ` (${unavailableNotLogged} more since the last report)` : "";
  console.error(`[${context}] database unavailable: ${error.name}: ${error.message}${more}`);
  lastUnavailableLog = now;
  unavailableNotLogged = 0;
}

/**
 * Turns anything thrown into an AppError. Unknown errors are logged with their cause here,
 * once, and reach the user as a generic message.
 */
export function toAppError(error: unknown, context = "request"): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : "";
  if (UNAVAILABLE_ERRORS.has(name)) {
    logUnavailable(context, error as Error);
    return new AppError("UNAVAILABLE", "The service is temporarily unavailable, please retry", { cause: error });
  }
  console.error(`[${context}] unexpected error:`, error);
  return new AppError("INTERNAL", "Something went wrong", { cause: error });
}

export function errorResponse(error: unknown, context?: string): Response {
  const appError = toAppError(error, context);
  // Retry-After is in whole seconds (RFC 9110); rounding up never invites a retry that is refused.
  const headers = appError.retryAfterMs === undefined ? undefined : { "retry-after": String(Math.max(1, Math.ceil(appError.retryAfterMs / 1000))) };
  return Response.json({ error: appError.toBody() }, { status: appError.status, headers });
}
