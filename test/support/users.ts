// Real users through the real HTTP API: sign up, sign in with next-auth's credentials flow,
// and the realtime token the browser would fetch.
import { randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../../lib/realtime/events";
import type { Stack } from "./stack";

export type TestUser = {
  id: string;
  name: string;
  email: string;
  password: string;
  cookie: string;
  token: string;
  api: (path: string, init?: RequestInit) => Promise<Response>;
};

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function cookiesFrom(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);
}

export async function createUser(stack: Stack, name = `user-${randomBytes(3).toString("hex")}`): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}.${randomBytes(3).toString("hex")}@example.test`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const registered = await fetch(`${stack.webUrl}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, email, password }),
  });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const { user } = (await registered.json()) as { user: { id: string } };
  return signIn(stack, { id: user.id, name, email, password });
}

/** Signs an existing account in through next-auth's credentials flow; returns its session and socket token. */
export async function signIn(stack: Stack, account: Pick<TestUser, "id" | "name" | "email" | "password">): Promise<TestUser> {
  const { email, password } = account;
  const csrf = await fetch(`${stack.webUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${stack.webUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesFrom(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const cookie = [...cookiesFrom(csrf), ...cookiesFrom(callback)].join("; ");
  if (!cookie.includes("session-token")) throw new Error(`sign-in failed: ${callback.status}`);

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.webUrl}${path}`, { ...init, headers: { "content-type": "application/json", cookie, ...init.headers } });
  const tokenResponse = await api("/api/realtime/token");
  const { token } = (await tokenResponse.json()) as { token: string };
  return { ...account, cookie, token, api };
}

/** next-auth's own sign-out, as the browser's "Sign out" button does it: ends every session of the account. */
export async function signOut(stack: Stack, user: TestUser): Promise<void> {
  const csrf = await fetch(`${stack.webUrl}/api/auth/csrf`, { headers: { cookie: user.cookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = [user.cookie, ...cookiesFrom(csrf)].join("; ");
  const response = await fetch(`${stack.webUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: stack.webUrl },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
  if (response.status >= 400) throw new Error(`sign-out answered ${response.status}`);
}

/** A real socket.io-client connection; resolves once connected, rejects on connect_error. */
export function connect(
  stack: Stack,
  options: { token?: string; origin?: string; transports?: string[]; listen?: (socket: TestSocket) => void } = {},
): Promise<TestSocket> {
  const socket: TestSocket = io(stack.socketUrl, {
    auth: options.token === undefined ? {} : { token: options.token },
    transports: options.transports ?? ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.origin ? { origin: options.origin } : undefined,
  });
  // Listeners attached before the connection opens hear what the server sends along with it.
  options.listen?.(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("connect timed out")), 5_000);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("connect_error", (error) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(error);
    });
  });
}

export function emitAck<T>(
  socket: TestSocket,
  event: keyof ClientToServerEvents,
  payload: unknown,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<Ack<T>> {
  const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> };
  return timed.emitWithAck(event, payload);
}

/** Collects every event of one name a socket receives. */
export function collect<T>(socket: TestSocket, event: keyof ServerToClientEvents): T[] {
  const received: T[] = [];
  (socket as unknown as Socket).on(event, (payload: T) => received.push(payload));
  return received;
}

export async function openDirect(a: TestUser, b: TestUser): Promise<string> {
  const response = await a.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "direct", userId: b.id }) });
  if (!response.ok) throw new Error(`open DM failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(probe: () => T | undefined | false, { timeoutMs = 3_000, what = "condition" } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The sockets a suite opens as it goes, all closed by `closeAll()` in its `after`. */
export function socketPool(stack: () => Stack) {
  const sockets: TestSocket[] = [];
  return {
    sockets,
    open: async (user: Pick<TestUser, "token">, listen?: (socket: TestSocket) => void) => {
      const socket = await connect(stack(), { token: user.token, listen });
      sockets.push(socket);
      return socket;
    },
    closeAll: () => {
      for (const socket of sockets) socket.disconnect();
    },
  };
}

/**
 * A socket that reconnects by itself after `delayMs` (no jitter), as the browser's does, so that a
 * test can drop its transport and watch connection state recovery. Not awaited: use `connected`.
 */
export function openRecoverable(stack: Stack, token: string, { delayMs }: { delayMs: number }): TestSocket {
  return io(stack.socketUrl, {
    auth: { token },
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: delayMs,
    reconnectionDelayMax: delayMs,
    randomizationFactor: 0,
  });
}
