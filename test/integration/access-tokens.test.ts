// Personal access tokens, as a bot would use them: sign up through the API, make a token with the
// account's password (no cookie, no CSRF step), and from then on only the token: HTTP with
// `Authorization: Bearer`, the socket with `auth: { token }`. Then what must be refused, on both
// transports: an expired, revoked, malformed or read-only token where it writes; another user's
// token; and that revoking closes the sockets opened with it within 2 s while signing out does not.
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { MongoClient, ObjectId } from "mongodb";
import { HTTP_ROUTES } from "../../lib/contract/routes";
import { clientEventScope } from "../../lib/contract/socket";
import { CLIENT_EVENTS } from "../../lib/realtime/events";
import type { ErrorBody } from "../../lib/errors";
import type { MessageDto, SyncResult } from "../../lib/schemas/dto";
import type { AccessTokenDto, CreatedToken } from "../../lib/schemas/token";
import { routeEntries } from "../support/routes";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, signIn, signOut, waitFor, type TestSocket, type TestUser } from "../support/users";

type Json = Record<string, unknown>;

/** Events a "read" token may send, as the API documents them (lib/contract/socket.ts), held here to what the server does. */
const READ_EVENTS = new Set(CLIENT_EVENTS.filter((event) => clientEventScope(event) === "read"));
/** The browser's realtime token: a session's alone (a token connects to the socket itself). */
const SESSION_ONLY = "GET /api/realtime/token";

function documented(entry: string) {
  const [method, route] = entry.split(" ");
  const found = HTTP_ROUTES.find((r) => r.method === method && r.path === route!.replace(/:(\w+)/g, "{$1}"));
  assert.ok(found, `${entry} is not in lib/contract/routes`);
  return found;
}
const documentedScope = (entry: string) => documented(entry).scope;
/** Routes a bearer token is judged on: all but the public ones (POST /api/tokens refuses any). */
const judged = (entry: string) => documented(entry).auth !== "none";

describe("personal access tokens", { timeout: 240_000 }, () => {
  let stack: Stack;
  let db: MongoClient;
  const email = `bot.${randomBytes(4).toString("hex")}@example.test`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  let botId: string;
  let token: CreatedToken;
  let human: TestUser;
  let conversationId: string;
  const sockets: TestSocket[] = [];

  const call = (credential: string | null, route: string, init: RequestInit = {}) =>
    fetch(`${stack.webUrl}${route}`, {
      ...init,
      headers: { "content-type": "application/json", ...(credential === null ? {} : { authorization: `Bearer ${credential}` }), ...init.headers },
    });
  const json = async <T = Json>(response: Response): Promise<T> => (await response.json()) as T;
  const expectError = async (response: Response, status: number, code: string) => {
    const body = await json<{ error: ErrorBody }>(response);
    assert.equal(response.status, status, JSON.stringify(body));
    assert.equal(body.error.code, code);
    assert.equal(typeof body.error.message, "string");
    assert.equal(typeof body.error.retryable, "boolean");
    return body.error;
  };
  const makeToken = async (body: Json) => {
    const response = await call(null, "/api/tokens", { method: "POST", body: JSON.stringify({ email, password, ...body }) });
    assert.equal(response.status, 201, await response.clone().text());
    return json<CreatedToken>(response);
  };
  const open = async (credential: string) => {
    const socket = await connect(stack, { token: credential });
    sockets.push(socket);
    return socket;
  };
  const tokensCollection = () => db.db(stack.env.MONGODB_DB).collection("accessTokens");

  before(async () => {
    stack = await startStack();
    db = new MongoClient(stack.mongoUri);
    await db.connect();
    human = await createUser(stack, "Hana Human");
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await db?.close();
    await stack?.stop();
  });

  it("signs up and makes a token with the password alone, then lives on the token: HTTP, socket, sync", async () => {
    const registered = await call(null, "/api/register", { method: "POST", body: JSON.stringify({ name: "Pingbot", email, password }) });
    assert.equal(registered.status, 201);
    botId = (await json<{ user: { id: string } }>(registered)).user.id;

    const response = await call(null, "/api/tokens", { method: "POST", body: JSON.stringify({ email, password, name: "CI bot", expiresInDays: 30 }) });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(response.headers.getSetCookie().length, 0, "making a token starts no session");
    token = await json<CreatedToken>(response);
    assert.match(token.token, /^parley_pat_[a-f0-9]{24}_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(token.scopes, ["read", "write"]);
    assert.equal(token.hint, token.token.slice(-4));
    const days = (Date.parse(token.expiresAt!) - Date.parse(token.createdAt)) / 86_400_000;
    assert.equal(days, 30);

    // Stored hashed: nothing in the database holds the secret.
    const stored = await tokensCollection().findOne({ _id: new ObjectId(token.id) });
    assert.ok(stored);
    // The secret is the last 43 characters (it may itself contain "_").
    assert.ok(!JSON.stringify(stored).includes(token.token.slice(-43)), "the secret is stored");
    assert.equal(stored.hash, createHash("sha256").update(token.token).digest("hex"));

    // HTTP with the token only: open a conversation with the human, send, list.
    const created = await call(token.token, "/api/conversations", { method: "POST", body: JSON.stringify({ kind: "direct", userId: human.id }) });
    assert.equal(created.status, 201, await created.clone().text());
    conversationId = (await json<{ conversation: { id: string } }>(created)).conversation.id;
    const sent = await call(token.token, `/api/conversations/${conversationId}/messages`, {
      method: "POST",
      body: JSON.stringify({ clientMsgId: randomUUID(), text: "hello from HTTP" }),
    });
    assert.equal(sent.status, 201, await sent.clone().text());
    const me = await json(await call(token.token, "/api/me"));
    assert.deepEqual(me, { id: botId, name: "Pingbot", scopes: ["read", "write"], tokenId: token.id });
    const listed = await json<{ tokens: AccessTokenDto[] }>(await call(token.token, "/api/tokens"));
    assert.deepEqual(listed.tokens.map((t) => t.id), [token.id]);
    assert.ok(!JSON.stringify(listed).includes(token.token), "a list never shows the secret");

    // The socket with the token only: hears the human, sends, syncs.
    const socket = await open(token.token);
    const heard = collect<{ message: MessageDto }>(socket, "message:created");
    const humanSocket = await open(human.token);
    const ping = await emitAck<{ message: MessageDto }>(humanSocket, "message:send", { conversationId, clientMsgId: randomUUID(), text: "ping" });
    assert.ok(ping.ok);
    await waitFor(() => heard.find((e) => e.message.text === "ping"), { what: "the bot hears ping" });
    const pong = await emitAck<{ message: MessageDto }>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text: "pong" });
    assert.ok(pong.ok, JSON.stringify(pong));
    assert.equal(pong.data.message.senderId, botId);
    assert.equal(pong.data.message.senderName, "Pingbot");
    const synced = await emitAck<SyncResult>(socket, "sync", { conversationId, sinceVersion: 0 });
    assert.ok(synced.ok);
    assert.deepEqual(synced.data.messages.map((m) => m.text), ["hello from HTTP", "ping", "pong"]);
    const viaHttp = await json<SyncResult>(await call(token.token, `/api/conversations/${conversationId}/sync?since=0`));
    assert.deepEqual(viaHttp.messages.map((m) => m.text), ["hello from HTTP", "ping", "pong"]);

    // "Last used" was noted.
    const used = await json<{ tokens: AccessTokenDto[] }>(await call(token.token, "/api/tokens"));
    assert.ok(used.tokens[0]!.lastUsedAt !== null);
  });

  it("refuses a bad request to make one with a clear error, and stores nothing", async () => {
    const before = await tokensCollection().countDocuments({});
    await expectError(await call(null, "/api/tokens", { method: "POST", body: JSON.stringify({ email, password: "wrong", name: "x" }) }), 401, "UNAUTHORIZED");
    await expectError(await call(null, "/api/tokens", { method: "POST", body: JSON.stringify({ name: "no credentials" }) }), 401, "UNAUTHORIZED");
    await expectError(await call(token.token, "/api/tokens", { method: "POST", body: JSON.stringify({ name: "a token making a token" }) }), 403, "FORBIDDEN");
    for (const [body, field] of [
      [{ name: "" }, "name"],
      [{ name: "x".repeat(65) }, "name"],
      [{ name: "ok", scopes: [] }, "scopes"],
      [{ name: "ok", scopes: ["admin"] }, "scopes"],
      [{ name: "ok", expiresInDays: 0 }, "expiresInDays"],
      [{ name: "ok", expiresInDays: 1.5 }, "expiresInDays"],
      [{ name: "ok", expiresInDays: 400 }, "expiresInDays"],
      [{ name: "ok", expiresInDays: "30" }, "expiresInDays"],
    ] as const) {
      const error = await expectError(await call(null, "/api/tokens", { method: "POST", body: JSON.stringify({ email, password, ...body }) }), 400, "VALIDATION");
      assert.match(error.message, new RegExp(`^${field}`), JSON.stringify(body));
    }
    await expectError(await call(null, "/api/tokens", { method: "POST", body: "{not json" }), 400, "VALIDATION");
    assert.equal(await tokensCollection().countDocuments({}), before);
  });

  it("a read-only token reads on both transports and is refused, with no effect, wherever it would write", async () => {
    const reader = await makeToken({ name: "reader", scopes: ["read"] });
    assert.deepEqual(reader.scopes, ["read"]);
    const entries = routeEntries().filter((entry) => judged(entry) && entry !== SESSION_ONLY);
    assert.ok(entries.length >= 30, `only ${entries.length} routes found`);
    const messagesBefore = await db.db(stack.env.MONGODB_DB).collection("messages").countDocuments({});
    let refusedWrites = 0;
    for (const entry of entries) {
      const [method, route] = entry.split(" ") as [string, string];
      const url = route.replace(/:(\w+)/g, (_, name: string) => (name === "variant" ? "thumbnail" : new ObjectId().toHexString()));
      const response = await call(reader.token, url, { method, body: method === "GET" || method === "DELETE" ? undefined : JSON.stringify({ text: "x", seq: 1 }) });
      const body = await response.text();
      // The scope the API documents for it (lib/contract), held here to what the server does.
      const writes = documentedScope(entry) === "write";
      if (writes) {
        assert.equal(response.status, 403, `${entry} with a read-only token: ${response.status} ${body}`);
        assert.equal((JSON.parse(body) as { error: ErrorBody }).error.code, "FORBIDDEN", entry);
        refusedWrites += 1;
      } else {
        assert.ok(response.status !== 401 && response.status !== 403, `${entry} refused a read-only token: ${response.status} ${body}`);
      }
    }
    assert.ok(refusedWrites >= 20, `${refusedWrites} writes refused`);
    const listed = await call(reader.token, `/api/conversations/${conversationId}/messages`);
    assert.equal(listed.status, 200);

    const socket = await open(reader.token);
    assert.deepEqual([...READ_EVENTS].sort(), ["conversation:delivered", "search", "sync", "visibility"]);
    for (const event of CLIENT_EVENTS) {
      const ack = await emitAck(socket, event, READ_EVENTS.has(event) ? {} : { conversationId, clientMsgId: randomUUID(), text: "must not land" });
      assert.equal(ack.ok, false);
      if (!ack.ok) {
        if (READ_EVENTS.has(event)) assert.equal(ack.error.code, "VALIDATION", `${event}: ${JSON.stringify(ack.error)}`);
        else assert.deepEqual(ack.error, { code: "FORBIDDEN", message: 'This token does not have the "write" scope', retryable: false }, event);
      }
    }
    const synced = await emitAck<SyncResult>(socket, "sync", { conversationId, sinceVersion: 0 });
    assert.ok(synced.ok);
    const delivered = await emitAck<{ lastDeliveredSeq: number }>(socket, "conversation:delivered", { conversationId, seq: synced.data.messages.at(-1)!.seq });
    assert.ok(delivered.ok, JSON.stringify(delivered));
    assert.equal(await db.db(stack.env.MONGODB_DB).collection("messages").countDocuments({}), messagesBefore, "a refused write stored a message");
  });

  it("an expired, revoked, malformed or tampered token is refused on every route and at the handshake", async () => {
    const expired = await makeToken({ name: "soon expired", expiresInDays: 1 });
    await tokensCollection().updateOne({ _id: new ObjectId(expired.id) }, { $set: { expiresAt: new Date(Date.now() - 1_000) } });
    const revoked = await makeToken({ name: "revoked" });
    assert.equal((await call(revoked.token, `/api/tokens/${revoked.id}`, { method: "DELETE" })).status, 200);
    const secret = token.token.slice(-43);
    const tampered = token.token.slice(0, -43) + (secret[0] === "A" ? "B" : "A") + secret.slice(1);
    const otherId = `parley_pat_${new ObjectId().toHexString()}_${secret}`;
    const bad: [string, string][] = [
      ["expired", expired.token],
      ["revoked", revoked.token],
      ["tampered secret", tampered],
      ["another id with a real secret", otherId],
      ["truncated", token.token.slice(0, -1)],
    ];
    const entries = routeEntries().filter(judged);
    for (const [label, credential] of bad) {
      for (const entry of entries) {
        const [method, route] = entry.split(" ") as [string, string];
        const url = route.replace(/:(\w+)/g, (_, name: string) => (name === "variant" ? "thumbnail" : new ObjectId().toHexString()));
        const response = await call(credential, url, { method, body: method === "GET" || method === "DELETE" ? undefined : "{}" });
        await expectError(response, 401, "UNAUTHORIZED").catch((error: Error) => assert.fail(`${label} on ${entry}: ${error.message}`));
      }
      const refusal = await connect(stack, { token: credential }).then(
        (socket) => {
          socket.disconnect();
          return null;
        },
        (error: Error & { data?: ErrorBody }) => error.data,
      );
      assert.equal(refusal?.code, "UNAUTHORIZED", `${label} opened a socket`);
      assert.equal(refusal?.retryable, false);
    }
  });

  it("another user's token acts only as that user: it cannot see, revoke or use what is the bot's", async () => {
    const humanToken = await json<CreatedToken>(await human.api("/api/tokens", { method: "POST", body: JSON.stringify({ name: "human's script" }), headers: { origin: stack.webUrl } }));
    assert.ok(humanToken.token);
    const theirs = await json<{ tokens: AccessTokenDto[] }>(await call(humanToken.token, "/api/tokens"));
    assert.deepEqual(theirs.tokens.map((t) => t.id), [humanToken.id]);
    await expectError(await call(humanToken.token, `/api/tokens/${token.id}`, { method: "DELETE" }), 404, "NOT_FOUND");
    await expectError(await call(token.token, `/api/tokens/${humanToken.id}`, { method: "DELETE" }), 404, "NOT_FOUND");
    assert.equal((await call(token.token, "/api/conversations")).status, 200, "the bot's token still works");
    // A stranger's token sees nothing of the bot's conversation.
    const stranger = await createUser(stack, "Stan Stranger");
    const strangerToken = await json<CreatedToken>(await stranger.api("/api/tokens", { method: "POST", body: JSON.stringify({ name: "s" }), headers: { origin: stack.webUrl } }));
    await expectError(await call(strangerToken.token, `/api/conversations/${conversationId}/messages`), 404, "NOT_FOUND");
    const strangerSocket = await open(strangerToken.token);
    const ack = await emitAck(strangerSocket, "sync", { conversationId, sinceVersion: 0 });
    assert.equal(!ack.ok && ack.error.code, "NOT_FOUND");
  });

  it("revoking closes every socket opened with that token within 2 s, and only those; signing out closes none of them", async () => {
    const doomed = await makeToken({ name: "doomed" });
    const kept = await makeToken({ name: "kept" });
    const doomedSockets = [await open(doomed.token), await open(doomed.token), await open(doomed.token)];
    const keptSocket = await open(kept.token);
    const closedAt: number[] = [];
    for (const socket of doomedSockets) socket.on("disconnect", () => closedAt.push(Date.now()));

    // Signing the account out (it has a browser session too) ends the session, not the tokens.
    const bot = { id: botId, name: "Pingbot", email, password };
    const browser = await signIn(stack, bot);
    const browserSocket = await open(browser.token);
    await signOut(stack, browser);
    await waitFor(() => !browserSocket.connected, { timeoutMs: 2_000, what: "the browser's socket closed at sign-out" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(doomedSockets.every((s) => s.connected) && keptSocket.connected, "a sign-out closed a token's socket");
    const still = await emitAck<{ message: MessageDto }>(keptSocket, "message:send", { conversationId, clientMsgId: randomUUID(), text: "after sign-out" });
    assert.ok(still.ok);

    // Revoked from Settings' route by the token's owner (here, with the other token).
    const started = Date.now();
    const revoked = await call(kept.token, `/api/tokens/${doomed.id}`, { method: "DELETE" });
    assert.equal(revoked.status, 200);
    await waitFor(() => closedAt.length === doomedSockets.length, { timeoutMs: 2_000, what: "every socket of the revoked token closed" });
    const slowest = Math.max(...closedAt) - started;
    assert.ok(slowest <= 2_000, `closed ${slowest} ms after the revocation`);
    assert.equal(keptSocket.connected, true, "another token's socket was closed");
    await expectError(await call(doomed.token, "/api/conversations"), 401, "UNAUTHORIZED");
    // Revoking again: it is gone.
    await expectError(await call(kept.token, `/api/tokens/${doomed.id}`, { method: "DELETE" }), 404, "NOT_FOUND");
    // The client's reconnect is refused.
    const again = doomedSockets[0]!;
    const refusal = new Promise<ErrorBody | undefined>((resolve) => again.once("connect_error", (error: Error & { data?: ErrorBody }) => resolve(error.data)));
    again.connect();
    assert.equal((await refusal)?.code, "UNAUTHORIZED");
    console.log(`[access-tokens] 3 sockets closed ${slowest} ms after their token was revoked; sign-out left token sockets open`);
  });

  it("a socket closes when its token expires", async () => {
    const brief = await makeToken({ name: "brief", expiresInDays: 1 });
    const expiresAt = Date.now() + 1_500;
    await tokensCollection().updateOne({ _id: new ObjectId(brief.id) }, { $set: { expiresAt: new Date(expiresAt) } });
    const socket = await open(brief.token);
    const closedAt = await new Promise<number>((resolve) => socket.once("disconnect", () => resolve(Date.now())));
    assert.ok(closedAt >= expiresAt - 50 && closedAt - expiresAt < 1_000, `closed ${closedAt - expiresAt} ms after the expiry`);
    await expectError(await call(brief.token, "/api/conversations"), 401, "UNAUTHORIZED");
  });

  it("last, the bot revokes its own token with that token: the socket opened with it closes within 2 s, and it is refused from then on", async () => {
    const socket = await open(token.token);
    const closed = new Promise<number>((resolve) => socket.once("disconnect", () => resolve(Date.now())));
    const started = Date.now();
    const revoked = await call(token.token, `/api/tokens/${token.id}`, { method: "DELETE" });
    assert.equal(revoked.status, 200);
    const ms = (await closed) - started;
    assert.ok(ms <= 2_000, `closed ${ms} ms after the revocation`);
    await expectError(await call(token.token, "/api/me"), 401, "UNAUTHORIZED");
    const refusal = await connect(stack, { token: token.token }).then(
      (again) => {
        again.disconnect();
        return null;
      },
      (error: Error & { data?: ErrorBody }) => error.data,
    );
    assert.equal(refusal?.code, "UNAUTHORIZED");
  });
});
