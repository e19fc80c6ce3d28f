// Sending and reading back messages for the delivery proofs: every send's outcome is kept
// (never thrown), so a test can count failures exactly and still compare what succeeded.
import assert from "node:assert/strict";
import type { MessageDto, MessagePage } from "../../lib/schemas/dto";
import { emitAck, type TestSocket, type TestUser } from "./users";

export type SendPath = "socket" | "http";

export type SendOutcome =
  | { path: SendPath; ok: true; message: MessageDto; status?: number }
  | { path: SendPath; ok: false; error: string; status?: number };

export type SendRequest = { conversationId: string; clientMsgId: string; text: string };

/**
 * The browser gives up on an ack after 5 s and falls back to HTTP; the proofs wait longer by
 * default, because they check what is stored and acknowledged, and report latency separately.
 */
export const PROOF_ACK_TIMEOUT_MS = 60_000;

export async function sendOverSocket(socket: TestSocket, request: SendRequest, { timeoutMs = PROOF_ACK_TIMEOUT_MS } = {}): Promise<SendOutcome> {
  try {
    const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", request, { timeoutMs });
    return ack.ok ? { path: "socket", ok: true, message: ack.data.message } : { path: "socket", ok: false, error: `${ack.error.code}: ${ack.error.message}` };
  } catch (error) {
    // emitAck rejects when no ack arrives in time.
    return { path: "socket", ok: false, error: `no ack: ${(error as Error).message}` };
  }
}

export async function sendOverHttp(user: TestUser, { conversationId, ...body }: SendRequest): Promise<SendOutcome> {
  try {
    const response = await user.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify(body) });
    const text = await response.text();
    if (response.status !== 200 && response.status !== 201) return { path: "http", ok: false, status: response.status, error: `${response.status}: ${text}` };
    return { path: "http", ok: true, status: response.status, message: (JSON.parse(text) as { message: MessageDto }).message };
  } catch (error) {
    return { path: "http", ok: false, error: `fetch failed: ${(error as Error).message}` };
  }
}

export function send(path: SendPath, sender: { user: TestUser; socket: TestSocket }, request: SendRequest): Promise<SendOutcome> {
  return path === "socket" ? sendOverSocket(sender.socket, request) : sendOverHttp(sender.user, request);
}

/** The whole history through the public API, newest page first with `before`, returned oldest first. */
export async function readWholeHistory(
  user: TestUser,
  conversationId: string,
  { pageSize = 100 } = {},
): Promise<{ messages: MessageDto[]; pages: number }> {
  const pages: MessageDto[][] = [];
  let before: number | undefined;
  for (;;) {
    const query = before === undefined ? `?limit=${pageSize}` : `?limit=${pageSize}&before=${before}`;
    const response = await user.api(`/api/conversations/${conversationId}/messages${query}`);
    assert.equal(response.status, 200, `history page ${pages.length + 1}`);
    const page = (await response.json()) as MessagePage;
    pages.push(page.messages);
    if (!page.hasMore) break;
    assert.ok(page.messages.length > 0, "a page with hasMore must not be empty");
    before = page.messages[0]!.seq;
  }
  return { messages: pages.reverse().flat(), pages: pages.length };
}

/** Runs `tasks` in consecutive batches of `size`, each batch all at once. */
export async function inBatches<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += size) results.push(...(await Promise.all(tasks.slice(i, i + size).map((task) => task()))));
  return results;
}

/** Failures grouped by message, e.g. { "socket UNAVAILABLE: …": 3 }, to print and to assert empty. */
export function tallyErrors(outcomes: SendOutcome[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const outcome of outcomes) {
    if (outcome.ok) continue;
    const key = `${outcome.path} ${outcome.error.slice(0, 120)}`;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return tally;
}

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const seconds = (ms: number) => (ms / 1000).toFixed(1);

export const perSecond = (count: number, ms: number) => (count / (ms / 1000)).toFixed(1);

/** Confirms every stored message is exactly the one the sends answered with. */
export function assertStoredMatches(stored: MessageDto[], answered: Map<string, MessageDto>): void {
  for (const message of stored) {
    const expected = answered.get(message.clientMsgId);
    assert.ok(expected, `stored message ${message.id} (clientMsgId ${message.clientMsgId}) was never acknowledged`);
    assert.deepEqual(message, expected, `stored message differs from the acknowledged one (clientMsgId ${message.clientMsgId})`);
  }
}
