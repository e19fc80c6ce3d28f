// Helpers for route handlers that need no request context.
/**
 * A numeric query parameter: undefined when absent, NaN when not a plain decimal number
 * (so the schema rejects it with a clear message instead of reading "" or "abc" as 0).
 */
export function queryNumber(search: URLSearchParams, name: string): number | undefined {
  const value = search.get(name);
  if (value === null) return undefined;
  return /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
}

/** A request's Content-Length when it gives a plain number; null when it does not (a chunked body). */
export function declaredLength(request: Request): number | null {
  const length = request.headers.get("content-length");
  return length !== null && /^\d+$/.test(length.trim()) ? Number(length) : null;
}

/**
 * A JSON body with the ids from the URL path added (the path wins over the body). Anything
 * but an object is passed through unchanged, for the schema to refuse with a clear message.
 */
export function withPathParams(body: unknown, params: Record<string, string>): unknown {
  return typeof body === "object" && body !== null ? { ...body, ...params } : body;
}
