// public/sw.js, run in a vm context with stand-ins for the browser's service-worker globals (the
// browser's API, not our modules): which pushes it shows, with what tag, and where a click goes.
// The e2e spec (e2e/push.spec.ts) fires real push events at it in Chromium; this covers the
// click, which no browser automation can perform on a system notification.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import vm from "node:vm";

type Client = { url: string; visibilityState: "visible" | "hidden"; focused: number; messages: unknown[]; focus(): Promise<void>; postMessage(message: unknown): void };
type Shown = { title: string; options: { tag: string; body: string; renotify: boolean; data: { url: string; conversationId: string }; requireInteraction: boolean } };

const source = readFileSync(path.join(import.meta.dirname, "../../public/sw.js"), "utf8");
const CONVERSATION = "0123456789abcdef01234567";

function worker(windows: Client[]) {
  const listeners = new Map<string, (event: unknown) => void>();
  const shown: Shown[] = [];
  const opened: string[] = [];
  const self = {
    addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
    registration: { showNotification: async (title: string, options: Shown["options"]) => void shown.push({ title, options }) },
    clients: { matchAll: async () => windows, openWindow: async (url: string) => void opened.push(url) },
  };
  vm.runInNewContext(source, { self, URL, JSON, fetch: async () => new Response(null) });
  const fire = async (type: string, event: object) => {
    const waits: Promise<unknown>[] = [];
    listeners.get(type)!({ ...event, waitUntil: (promise: Promise<unknown>) => waits.push(promise) });
    await Promise.all(waits);
  };
  return { fire, shown, opened };
}

const tab = (url: string, visibilityState: Client["visibilityState"]): Client => ({
  url,
  visibilityState,
  focused: 0,
  messages: [],
  async focus() {
    this.focused += 1;
  },
  postMessage(message) {
    this.messages.push(message);
  },
});

const push = (data: object) => ({ data: { json: () => data } });
const payload = { kind: "message", conversationId: CONVERSATION, title: "Ana", body: "2 new messages\nhi", count: 2, tag: CONVERSATION, url: `/chat?c=${CONVERSATION}` };

describe("the service worker", () => {
  it("shows a push as the conversation's one notification when no tab of ours is in view", async () => {
    const { fire, shown } = worker([tab("http://parley.test/chat", "hidden")]);
    await fire("push", push(payload));
    assert.equal(shown.length, 1);
    assert.deepEqual([shown[0]!.title, shown[0]!.options.body, shown[0]!.options.tag, shown[0]!.options.renotify], ["Ana", "2 new messages\nhi", CONVERSATION, true]);
    assert.equal(shown[0]!.options.data.url, `/chat?c=${CONVERSATION}`);
  });

  it("stays quiet while a tab of ours is in view, and ignores pushes it cannot read", async () => {
    const { fire, shown } = worker([tab("http://parley.test/chat", "hidden"), tab("http://parley.test/chat?c=x", "visible")]);
    await fire("push", push(payload));
    const other = worker([]);
    await other.fire("push", { data: { json: () => JSON.parse("not json") } });
    await other.fire("push", push({ title: 3 }));
    await other.fire("push", { data: null });
    assert.equal(shown.length + other.shown.length, 0);
  });

  it("keeps a ringing call on screen until it is answered or dismissed", async () => {
    const { fire, shown } = worker([]);
    await fire("push", push({ ...payload, kind: "call", tag: `call:${CONVERSATION}`, body: "Incoming video call" }));
    assert.deepEqual([shown[0]!.options.tag, shown[0]!.options.requireInteraction], [`call:${CONVERSATION}`, true]);
  });

  it("on a click, focuses an open chat and asks it to open the conversation", async () => {
    const chat = tab("http://parley.test/chat", "hidden");
    const signIn = tab("http://parley.test/sign-in", "hidden");
    const { fire, opened } = worker([signIn, chat]);
    let closed = 0;
    await fire("notificationclick", { notification: { data: { url: `/chat?c=${CONVERSATION}`, conversationId: CONVERSATION }, close: () => (closed += 1) } });
    assert.deepEqual([closed, chat.focused, signIn.focused, opened.length], [1, 1, 0, 0]);
    // Made in the worker's realm: compared by value.
    assert.deepEqual(JSON.parse(JSON.stringify(chat.messages)), [{ type: "parley:open", conversationId: CONVERSATION }]);
  });

  it("on a click with no chat open, opens the conversation's page", async () => {
    const { fire, opened } = worker([tab("http://parley.test/sign-in", "hidden")]);
    await fire("notificationclick", { notification: { data: { url: `/chat?c=${CONVERSATION}`, conversationId: CONVERSATION }, close: () => undefined } });
    assert.deepEqual(opened, [`/chat?c=${CONVERSATION}`]);
  });
});
