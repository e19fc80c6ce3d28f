// The client side of the realtime contract: one socket, a visible connection state, and requests
// that go over the socket when it is connected and through an HTTP fallback (a server action in
// the browser, a route handler elsewhere, with the same payload and so the same clientMsgId)
// when it is not. Framework-free, so Node tests drive exactly the code the browser runs.
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../realtime/events";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "http" | "offline";
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const ACK_TIMEOUT_MS = 5_000;
// How long a lost socket may try to come back before the UI says it is using HTTP.
const HTTP_AFTER_MS = 3_000;

export const unreachable = (): Ack<never> => ({
  ok: false,
  error: { code: "UNAVAILABLE", message: "Could not reach Parley. Check your connection.", retryable: true },
});

const ackTimedOut = (): Ack<never> => ({
  ok: false,
  error: { code: "UNAVAILABLE", message: "The server did not answer in time", retryable: true },
});

export type RealtimeOptions = {
  url: string;
  /** A fresh short-lived token for every (re)connection attempt; "" when none can be had. */
  getToken: () => Promise<string>;
  forceHttp?: boolean;
  ackTimeoutMs?: number;
  onState?: (state: ConnectionState) => void;
  /** Every (re)connection, with whether Socket.IO recovered the session's missed packets. */
  onConnect?: (info: { recovered: boolean }) => void;
  /** The network came back (browser "online" event, or HTTP answered again). */
  onNetworkBack?: () => void;
};

export class RealtimeClient {
  readonly socket: ClientSocket | null;
  private state: ConnectionState = "connecting";
  private httpTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private httpReachable = true;
  private socketGaveUp = false;
  private readonly detach: (() => void)[] = [];

  constructor(private readonly options: RealtimeOptions) {
    this.watchNetwork();
    if (options.forceHttp) {
      this.socket = null;
      this.socketGaveUp = true;
      this.update();
      return;
    }
    this.socket = io(options.url, {
      transports: ["websocket", "polling"],
      // Asked again at every (re)connection, so the server always starts from the tab's state now.
      auth: (callback) => {
        options.getToken().then(
          (token) => callback({ token, visible: tabVisible() }),
          () => callback({ token: "", visible: tabVisible() }),
        );
      },
    });
    this.watchVisibility();
    this.socket.on("connect", () => {
      this.socketGaveUp = false;
      clearTimeout(this.httpTimer);
      this.update();
      options.onConnect?.({ recovered: this.socket?.recovered ?? false });
    });
    this.socket.on("disconnect", (reason) => {
      this.lost();
      // The server closed it (its token expired, or the session ended): Socket.IO does not retry
      // those by itself. Reconnecting fetches a fresh token, or learns the session is over.
      if (reason === "io server disconnect") {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.socket?.connect(), 250);
      }
    });
    this.socket.on("connect_error", () => {
      this.lost();
      // A refusal by the server's middleware stops Socket.IO's own retries; keep trying gently.
      if (this.socket && !this.socket.active) {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.socket?.connect(), 5_000);
      }
    });
  }

  get connection(): ConnectionState {
    return this.state;
  }

  socketUp(): boolean {
    return this.socket?.connected ?? false;
  }

  /** The device says it has no network at all. */
  offline(): boolean {
    return typeof navigator !== "undefined" && navigator.onLine === false;
  }

  private watchNetwork() {
    if (typeof window === "undefined") return;
    const changed = () => {
      this.update();
      if (!this.offline()) {
        this.httpReachable = true;
        if (this.socket && !this.socket.connected && !this.socket.active) this.socket.connect();
        this.options.onNetworkBack?.();
      }
    };
    window.addEventListener("online", changed);
    window.addEventListener("offline", changed);
    this.detach.push(() => {
      window.removeEventListener("online", changed);
      window.removeEventListener("offline", changed);
    });
  }

  /** The socket server keeps whether this tab is in view: someone with a tab in view gets no push. */
  private watchVisibility() {
    if (typeof document === "undefined") return;
    const changed = () => {
      if (this.socket?.connected) this.socket.emit("visibility", { visible: tabVisible() }, () => undefined);
    };
    document.addEventListener("visibilitychange", changed);
    this.detach.push(() => document.removeEventListener("visibilitychange", changed));
  }

  private lost() {
    this.update();
    clearTimeout(this.httpTimer);
    this.httpTimer = setTimeout(() => {
      if (!this.socket?.connected) {
        this.socketGaveUp = true;
        this.update();
      }
    }, HTTP_AFTER_MS);
  }

  /** Offline beats everything; then the socket; then whether HTTP is answering. */
  private update() {
    let next: ConnectionState;
    if (this.offline()) next = "offline";
    else if (this.socket?.connected) next = "connected";
    else if (!this.socketGaveUp) next = this.state === "connecting" ? "connecting" : "reconnecting";
    else next = this.httpReachable ? "http" : "offline";
    if (next === this.state) return;
    this.state = next;
    this.options.onState?.(next);
  }

  /** Records whether an HTTP request reached the server: with the socket down, that is online or offline. */
  noteHttp(reached: boolean) {
    const cameBack = reached && !this.httpReachable;
    this.httpReachable = reached;
    this.update();
    if (cameBack) this.options.onNetworkBack?.();
  }

  /** One request over the socket, answered within the ack timeout or a retryable UNAVAILABLE. */
  async emit<T, E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<Ack<T>> {
    const socket = this.socket;
    if (!socket?.connected) return unreachable();
    // An ack never crosses a dropped connection: stop waiting the moment it drops, so the retry
    // (over HTTP while the socket is down) starts at once instead of after the ack timeout.
    let onDisconnect = () => undefined as void;
    const dropped = new Promise<Ack<T>>((resolve) => {
      onDisconnect = () => resolve(unreachable());
      socket.once("disconnect", onDisconnect);
    });
    try {
      // The emit signature is generic over the event map; the ack type is ours to name.
      const timed = socket.timeout(this.options.ackTimeoutMs ?? ACK_TIMEOUT_MS) as unknown as {
        emitWithAck(e: E, p: typeof payload): Promise<Ack<T>>;
      };
      return await Promise.race([timed.emitWithAck(event, payload), dropped]);
    } catch {
      return ackTimedOut();
    } finally {
      socket.off("disconnect", onDisconnect);
    }
  }

  /** One request over HTTP; a network failure becomes a retryable UNAVAILABLE and marks the network down. */
  async http<T>(call: () => Promise<Ack<T>>): Promise<Ack<T>> {
    try {
      const result = await call();
      this.noteHttp(true);
      return result;
    } catch {
      this.noteHttp(false);
      return unreachable();
    }
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
      const response = await this.emit<T, E>(event, payload);
      if (response.ok || !response.error.retryable) return response;
    }
    return this.http(fallback);
  }

  close() {
    clearTimeout(this.httpTimer);
    clearTimeout(this.retryTimer);
    for (const detach of this.detach) detach();
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

const tabVisible = () => typeof document !== "undefined" && document.visibilityState === "visible";
