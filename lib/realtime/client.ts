// The browser side of the realtime contract: one socket, a visible connection state, and
// requests that go over the socket when it is connected and through an HTTP fallback
// (a server action with the same payload, so the same clientMsgId) when it is not.
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "./events";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "http";
export type BrowserSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 5_000;
// How long a lost socket may try to come back before the UI says it is using HTTP.
const HTTP_AFTER_MS = 3_000;

export const unreachable = (): Ack<never> => ({
  ok: false,
  error: { code: "UNAVAILABLE", message: "Could not reach Parley. Check your connection.", retryable: true },
});

type Options = {
  url: string;
  tokenUrl: string;
  forceHttp: boolean;
  onState: (state: ConnectionState) => void;
  onConnect: () => void;
};

export class RealtimeClient {
  readonly socket: BrowserSocket | null;
  private state: ConnectionState = "connecting";
  private httpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: Options) {
    if (options.forceHttp) {
      this.socket = null;
      this.setState("http");
      return;
    }
    this.socket = io(options.url, {
      transports: ["websocket", "polling"],
      // A fresh short-lived token for every (re)connection attempt.
      auth: (callback) => {
        fetch(options.tokenUrl, { cache: "no-store", credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
          .then(({ token }: { token: string }) => callback({ token }))
          .catch(() => callback({ token: "" }));
      },
    });
    this.socket.on("connect", () => {
      this.setState("connected");
      options.onConnect();
    });
    this.socket.on("disconnect", () => this.lost());
    this.socket.on("connect_error", () => {
      this.lost();
      // A refusal by the server's middleware stops Socket.IO's own retries; keep trying gently.
      if (this.socket && !this.socket.active) setTimeout(() => this.socket?.connect(), 5_000);
    });
  }

  get connection(): ConnectionState {
    return this.state;
  }

  private lost() {
    if (this.state === "connected" || this.state === "connecting") this.setState("reconnecting");
    clearTimeout(this.httpTimer);
    this.httpTimer = setTimeout(() => {
      if (!this.socket?.connected) this.setState("http");
    }, HTTP_AFTER_MS);
  }

  private setState(state: ConnectionState) {
    if (state === "connected") clearTimeout(this.httpTimer);
    if (this.state === state) return;
    this.state = state;
    this.options.onState(state);
  }

  /**
   * Socket first; on no connection, an ack timeout or a retryable error, the HTTP fallback.
   * Safe to repeat because every write carries its own idempotency key.
   */
  async request<T, E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
    fallback: () => Promise<Ack<T>>,
  ): Promise<Ack<T>> {
    if (this.socket?.connected) {
      try {
        // The emit signature is generic over the event map; the ack type is ours to name.
        const timed = this.socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(e: E, p: typeof payload): Promise<Ack<T>> };
        const response = await timed.emitWithAck(event, payload);
        if (response.ok || !response.error.retryable) return response;
      } catch {
        // ack timed out: fall through to HTTP
      }
    }
    try {
      return await fallback();
    } catch {
      return unreachable();
    }
  }

  close() {
    clearTimeout(this.httpTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
  }
}

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function newClientMsgId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
