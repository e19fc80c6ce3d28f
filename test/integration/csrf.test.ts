// Cross-site request forgery: a page on another origin, riding a signed-in user's cookie, can
// neither call a server action nor a mutating route handler, and nothing is written.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { MessageDto } from "../../lib/schemas/dto";
import { serverActionId } from "../support/actions";
import { startStack, type Stack } from "../support/stack";
import { createUser, openDirect, type TestUser } from "../support/users";

const EVIL = "http://evil.test";

describe("CSRF", () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let conversationId: string;

  before(async () => {
    stack = await startStack();
    [alice, bob] = await Promise.all([createUser(stack, "Alice Csrf"), createUser(stack, "Bob Csrf")]);
    conversationId = await openDirect(alice, bob);
  });

  after(async () => {
    await stack?.stop();
  });

  const stored = async (): Promise<MessageDto[]> => {
    const response = await alice.api(`/api/conversations/${conversationId}/messages?limit=100`);
    return ((await response.json()) as { messages: MessageDto[] }).messages;
  };

  /** Every mutating route handler, with a valid body: only the request's origin is wrong. */
  const writes = () => [
    { path: `/api/conversations/${conversationId}/messages`, body: { clientMsgId: randomUUID(), text: "forged" } },
    { path: "/api/conversations", body: { kind: "group", name: "Forged", memberIds: [bob.id, alice.id] } },
    { path: `/api/conversations/${conversationId}/read`, body: { seq: 1 } },
    { path: `/api/conversations/${conversationId}/delivered`, body: { seq: 1 } },
  ];

  it("refuses cookie-authenticated writes from another origin, or labelled cross-site, with FORBIDDEN and no effect", async () => {
    const before = (await stored()).length;
    const forgeries: Record<string, string>[] = [{ origin: EVIL }, { origin: "null" }, { "sec-fetch-site": "cross-site" }, { origin: stack.webUrl.replace("127.0.0.1", "localhost") }];
    let denied = 0;
    for (const headers of forgeries) {
      for (const { path: route, body } of writes()) {
        const response = await alice.api(route, { method: "POST", headers, body: JSON.stringify(body) });
        assert.equal(response.status, 403, `${route} with ${JSON.stringify(headers)}`);
        assert.equal(((await response.json()) as { error: { code: string } }).error.code, "FORBIDDEN");
        denied += 1;
      }
    }
    const registered = await fetch(`${stack.webUrl}/api/register`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: EVIL },
      body: JSON.stringify({ name: "Forged", email: `forged.${randomUUID()}@example.test`, password: "long enough password" }),
    });
    assert.equal(registered.status, 403);
    assert.equal((await stored()).length, before, "a forged request wrote a message");
    const list = (await (await alice.api("/api/conversations")).json()) as { conversations: { name: string | null }[] };
    assert.ok(!list.conversations.some((c) => c.name === "Forged"), "a forged request created a group");
    console.log(`[csrf] ${denied + 1} forged route requests denied`);
  });

  it("still accepts the same writes from the site itself and from clients without a browser", async () => {
    const sameOrigin = await alice.api(`/api/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { origin: stack.webUrl, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ clientMsgId: randomUUID(), text: "from the page" }),
    });
    assert.equal(sameOrigin.status, 201);
    const script = await alice.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "from a script" }) });
    assert.equal(script.status, 201);
    // A bearer token is not ambient: another origin holding it is not a forgery.
    const bearer = await fetch(`${stack.webUrl}/api/conversations/${conversationId}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${alice.token}`, origin: EVIL },
      body: JSON.stringify({ clientMsgId: randomUUID(), text: "with a token" }),
    });
    assert.equal(bearer.status, 201);
  });

  it("refuses a server action posted from another origin", async () => {
    const before = (await stored()).length;
    const actionId = serverActionId("sendMessageAction");
    const call = (origin: string) =>
      fetch(`${stack.webUrl}/chat`, {
        method: "POST",
        headers: { cookie: alice.cookie, "next-action": actionId, "content-type": "text/plain;charset=UTF-8", origin, accept: "text/x-component" },
        body: JSON.stringify([{ conversationId, clientMsgId: randomUUID(), text: `action from ${origin}` }]),
      });
    const forged = await call(EVIL);
    await forged.text();
    assert.notEqual(forged.status, 200, "Next.js ran a server action posted from another origin");
    assert.equal((await stored()).length, before, "the forged action wrote a message");
    // The same call from the site's own origin does run: the refusal above is about the origin.
    const genuine = await call(stack.webUrl);
    await genuine.text();
    assert.equal(genuine.status, 200);
    assert.equal((await stored()).length, before + 1);
  });
});
