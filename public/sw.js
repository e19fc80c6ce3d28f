// Parley's service worker: shows Web Push notifications and opens the conversation on a click.
// Registered by the chat page only once its person turns push on in Settings. It caches nothing:
// the chat loads from the network. Plain JavaScript, served as it is from /sw.js.
/* global self */

/** A page of ours in view already tells its person (a toast): no notification on top of it. */
async function anyWindowVisible() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  return windows.some((client) => client.visibilityState === "visible");
}

function readPush(event) {
  try {
    const data = event.data ? event.data.json() : null;
    return data && typeof data.title === "string" && typeof data.conversationId === "string" ? data : null;
  } catch {
    return null;
  }
}

/**
 * One notification per conversation: its tag is the conversation (calls have their own), so a
 * newer push replaces the older one, saying how many are unread, and alerts again (renotify).
 */
async function showPush(data) {
  if (await anyWindowVisible()) return;
  await self.registration.showNotification(data.title, {
    body: data.body,
    tag: data.tag || data.conversationId,
    renotify: true,
    icon: "/apple-icon.png",
    badge: "/apple-icon.png",
    requireInteraction: data.kind === "call",
    data: { url: data.url || `/chat?c=${data.conversationId}`, conversationId: data.conversationId },
  });
}

/** Focuses a chat window and asks it to open the conversation; opens one when there is none. */
async function openConversation(data) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const chat = windows.find((client) => new URL(client.url).pathname === "/chat");
  if (chat) {
    chat.postMessage({ type: "parley:open", conversationId: data.conversationId });
    // Allowed only while handling the click; the conversation opens all the same without it.
    await chat.focus().catch(() => undefined);
    return;
  }
  await self.clients.openWindow(data.url);
}

self.addEventListener("push", (event) => {
  const data = readPush(event);
  if (data) event.waitUntil(showPush(data));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data;
  if (data && typeof data.conversationId === "string") event.waitUntil(openConversation(data));
});

// The push service replaced the subscription (keys rotated, expiry): tell the server, with this browser's session.
self.addEventListener("pushsubscriptionchange", (event) => {
  const next = event.newSubscription;
  if (!next) return;
  event.waitUntil(
    fetch("/api/push/subscriptions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(next.toJSON()), credentials: "same-origin" }).catch(() => undefined),
  );
});
