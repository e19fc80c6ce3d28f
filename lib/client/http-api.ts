// The engine's HTTP half for clients that are not the Next.js page (scripts, bots, Node tests):
// the public route handlers, authenticated with the session cookie or a realtime bearer token.
// The browser uses server actions instead; both reach the same lib/chat calls.
import type { ErrorBody } from "../errors";
import type { ConversationDto } from "../schemas/dto";
import type { ChatApi } from "./engine";
import type { Ack } from "../realtime/events";

export type HttpApiOptions = {
  baseUrl: string;
  /** Headers for every request, e.g. { cookie } or { authorization: `Bearer ${token}` }. */
  headers: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof fetch;
};

/** Network failures reject (the engine then treats the network as down); HTTP errors become the ack's error shape. */
export function createHttpApi({ baseUrl, headers, fetch: doFetch = fetch }: HttpApiOptions): ChatApi {
  async function call<T>(method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<Ack<T>> {
    const response = await doFetch(`${baseUrl}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(await headers()) },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    if (response.status === 204) return { ok: true, data: {} as T };
    const json = (await response.json().catch(() => null)) as { error?: ErrorBody } | null;
    if (response.ok && json) return { ok: true, data: json as T };
    const error = json?.error ?? { code: response.status >= 500 ? "UNAVAILABLE" : "INTERNAL", message: `HTTP ${response.status}`, retryable: response.status >= 500 };
    return { ok: false, error };
  }
  const conversation = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

  return {
    send: ({ conversationId, ...body }) => call("POST", `${conversation(conversationId)}/messages`, body),
    sync: ({ conversationId, sinceVersion }) => call("GET", `${conversation(conversationId)}/sync?since=${sinceVersion}`),
    loadMessages: ({ conversationId, ...paging }) => {
      const query = new URLSearchParams(Object.entries(paging).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]]))).toString();
      return call("GET", `${conversation(conversationId)}/messages${query ? `?${query}` : ""}`);
    },
    search: (input) => {
      const query = new URLSearchParams(Object.entries(input).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
      return call("GET", `/api/search?${query}`);
    },
    listConversations: async () => {
      const result = await call<{ conversations: ConversationDto[] }>("GET", "/api/conversations");
      return result.ok ? { ok: true, data: result.data.conversations } : result;
    },
    markRead: ({ conversationId, seq }) => call("POST", `${conversation(conversationId)}/read`, { seq }),
    markDelivered: ({ conversationId, seq }) => call("POST", `${conversation(conversationId)}/delivered`, { seq }),
    markUnread: ({ conversationId, unread }) => call("POST", `${conversation(conversationId)}/unread`, { unread }),
    mute: ({ conversationId, muted }) => call("POST", `${conversation(conversationId)}/mute`, { muted }),
    createConversation: (input) => call("POST", "/api/conversations", input),
    changeGroup: (request) => {
      const path = conversation(request.conversationId);
      if (request.action === "rename") return call("PATCH", path, { name: request.name });
      if (request.action === "add") return call("POST", `${path}/members`, { userId: request.userId });
      if (request.action === "role") return call("PATCH", `${path}/members/${encodeURIComponent(request.userId)}`, { role: request.role });
      return call("DELETE", `${path}/members/${encodeURIComponent(request.userId)}`);
    },
    changeMessage: (request) => {
      const path = `/api/messages/${encodeURIComponent(request.messageId)}`;
      if (request.action === "edit") return call("PATCH", path, { text: request.text });
      if (request.action === "delete") return call("DELETE", `${path}?for=${request.for}`);
      if (request.action === "react") return call("POST", `${path}/reactions`, { emoji: request.emoji, add: request.add });
      return call(request.pinned ? "PUT" : "DELETE", `${path}/pin`);
    },
  };
}
