// The authorization matrix: every row of test/support/access-matrix.ts (each client→server
// event, server action and route handler that touches a conversation) tried by a stranger, a
// removed member and a member who left (NOT_FOUND, the very answer a conversation that does not
// exist gets), by a plain member for the owner's rows (FORBIDDEN), and by a member reaching for
// something not theirs. Each denial is checked for side effects: the database is unchanged and
// no socket hears anything. Then the legitimate actor does the same and succeeds, which proves
// each denial was about the actor, not a malformed request. The stranger acts with a personal
// access token (HTTP Bearer and the socket's auth.token); expired, revoked and read-only tokens are
// access-tokens.test.ts's, over every route and event.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import type { Socket } from "socket.io-client";
import { CLIENT_EVENTS } from "../../lib/realtime/events";
import type { MessageDto } from "../../lib/schemas/dto";
import { root } from "../../scripts/processes.mjs";
import { ACCESS_ROWS, OUTSIDE_MATRIX, type AccessRow, type MatrixActor, type MatrixTarget, type Outcome } from "../support/access-matrix";
import { callAction } from "../support/actions";
import { png, uploaded } from "../support/files";
import { WITHOUT_INDEX_BOOKKEEPING } from "../support/snapshot";
import { routeEntries } from "../support/routes";
import { startStack, type Stack } from "../support/stack";
import { connect, createUser, emitAck, openDirect, sleep, type TestSocket, type TestUser } from "../support/users";

const QUIET_MS = 250;
const STATUS: Record<string, number> = { NOT_FOUND: 404, FORBIDDEN: 403 };

/** Every route handler and server action the app has, as the matrix names them. */
function appEntries(): string[] {
  const entries = routeEntries();
  for (const file of ["app/(chat)/actions.ts", "app/(chat)/group-actions.ts", "app/(chat)/message-actions.ts"]) {
    for (const [, name] of readFileSync(path.join(root, file), "utf8").matchAll(/export async function (\w+Action)\b/g)) entries.push(`action ${name}`);
  }
  return entries;
}

describe("authorization matrix", { timeout: 240_000 }, () => {
  let stack: Stack;
  let db: MongoClient;
  let owner: MatrixActor;
  let member: MatrixActor;
  let stranger: MatrixActor;
  let removed: MatrixActor;
  let left: MatrixActor;
  let victim: TestUser;
  let victimSocket: TestSocket;
  let outsider: TestUser;
  let group: string;
  let target: MatrixTarget;
  const heard: string[] = [];
  const formerHeard: string[] = [];
  const tally = { rows: 0, denied: 0, allowed: 0 };

  const actor = async (name: string): Promise<MatrixActor> => {
    const user = await createUser(stack, `${name} Matrix`);
    // The stranger is a script: a personal access token of its own, as Bearer and at the
    // handshake, so every row also shows another user's token reaching nothing, on both transports.
    const viaToken = name === "Stranger" ? await personalToken(user) : null;
    const api = viaToken
      ? (route: string, init: RequestInit = {}) =>
          fetch(`${stack.webUrl}${route}`, { ...init, headers: { "content-type": "application/json", authorization: `Bearer ${viaToken}`, ...init.headers } })
      : user.api;
    const socket = await connect(stack, { token: viaToken ?? user.token });
    (socket as unknown as Socket).onAny((event: string) => heard.push(`${name} heard ${event}`));
    return { ...user, api, socket };
  };

  async function personalToken(user: TestUser): Promise<string> {
    const made = await fetch(`${stack.webUrl}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: user.email, password: user.password, name: "matrix script" }),
    });
    assert.equal(made.status, 201);
    return ((await made.json()) as { token: string }).token;
  }

  /** Every document of every collection a conversation action could touch. */
  async function snapshot(): Promise<string> {
    const database = db.db(stack.env.MONGODB_DB);
    const parts = await Promise.all(["conversations", "memberships", "messages", "users", "files"].map((c) => database.collection(c).find({}, WITHOUT_INDEX_BOOKKEEPING).sort({ _id: 1 }).toArray()));
    // Calls too, but not their leases, which the socket server renews every few seconds by itself.
    const calls = await database.collection("calls").find({}, { projection: { "caller.leaseUntil": 0, "callee.leaseUntil": 0 } }).sort({ _id: 1 }).toArray();
    return JSON.stringify([...parts, calls]);
  }

  before(async () => {
    // The call the denials aim at rings for the whole run: its ending would write an entry mid-row.
    stack = await startStack({ env: { CALL_RING_SECONDS: "600" } });
    db = new MongoClient(stack.mongoUri);
    await db.connect();
    [owner, member, stranger, removed, left] = (await Promise.all(["Owner", "Member", "Stranger", "Removed", "Left"].map(actor))) as [MatrixActor, MatrixActor, MatrixActor, MatrixActor, MatrixActor];
    [victim, outsider] = await Promise.all([createUser(stack, "Victim Matrix"), createUser(stack, "Outsider Matrix")]);
    const created = await owner.api("/api/conversations", {
      method: "POST",
      body: JSON.stringify({ kind: "group", name: "Matrix", memberIds: [member.id, victim.id, removed.id, left.id] }),
    });
    group = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    const first = await emitAck<{ message: MessageDto }>(owner.socket, "message:send", { conversationId: group, clientMsgId: randomUUID(), text: "first" });
    assert.ok(first.ok);
    // A conversation the member is not in, with a message to reach for.
    const elsewhere = await openDirect(owner, stranger);
    const foreign = await emitAck<{ message: MessageDto }>(owner.socket, "message:send", { conversationId: elsewhere, clientMsgId: randomUUID(), text: "not yours" });
    assert.ok(foreign.ok);

    assert.equal((await owner.api(`/api/conversations/${group}/members/${removed.id}`, { method: "DELETE" })).status, 204);
    assert.equal((await left.api(`/api/conversations/${group}/members/${left.id}`, { method: "DELETE" })).status, 204);
    for (const former of [removed, left]) {
      (former.socket as unknown as Socket).onAny((event: string, payload: { conversationId?: string }) => {
        if (event !== "conversation:removed") formerHeard.push(`${former.name} heard ${event} ${JSON.stringify(payload).slice(0, 80)}`);
      });
    }
    const own = await emitAck<{ message: MessageDto }>(member.socket, "message:send", { conversationId: group, clientMsgId: randomUUID(), text: "the member's own" });
    assert.ok(own.ok);
    // Calls: the owner and the member's direct conversation, and a call between two other people.
    const directId = await openDirect(owner, member);
    victimSocket = await connect(stack, { token: victim.token });
    const othersCall = await emitAck<{ call: { id: string }; partyId: string }>(victimSocket, "call:invite", { conversationId: await openDirect(victim, outsider), callId: randomUUID(), media: "video" });
    assert.ok(othersCall.ok, JSON.stringify(othersCall));
    // Files: one the owner sent in the group, one in the owner and the stranger's conversation, and
    // every actor's own unsent uploads for the rows that attach.
    const sentFile = async (conversationId: string) => {
      const file = await uploaded(owner, await png(), "matrix.png");
      const ack = await emitAck(owner.socket, "message:send", { conversationId, clientMsgId: randomUUID(), attachments: [file.id] });
      assert.ok(ack.ok, JSON.stringify(ack));
      return file.id;
    };
    const uploads: MatrixTarget["uploads"] = {};
    for (const a of [member, stranger, removed, left]) {
      uploads[a.id] = { socket: (await uploaded(a, await png(), "mine.png")).id, http: (await uploaded(a, await png(), "mine.png")).id };
    }
    target = {
      fileId: await sentFile(group),
      foreignFileId: await sentFile(elsewhere),
      uploads,
      conversationId: group,
      userId: victim.id,
      messageId: first.data.message.id,
      foreignMessageId: foreign.data.message.id,
      ownMessageId: own.data.message.id,
      directId,
      call: { id: othersCall.data.call.id, partyId: othersCall.data.partyId },
    };
    await sleep(QUIET_MS);
  });

  after(async () => {
    victimSocket?.disconnect();
    for (const a of [owner, member, stranger, removed, left]) a?.socket.disconnect();
    await db?.close();
    await stack?.stop();
    console.log(`[authorization-matrix] ${tally.rows} entries; ${tally.denied} cases denied with no side effect; ${tally.allowed} legitimate calls succeeded`);
  });

  it("has a row for every client→server event, and a row or a reason for every route handler and server action", () => {
    const names = new Set(ACCESS_ROWS.map((row) => row.name.replace(/\?.*$/, "")));
    for (const event of CLIENT_EVENTS) assert.ok(names.has(`socket ${event}`) || `socket ${event}` in OUTSIDE_MATRIX, `no matrix row (nor a reason in OUTSIDE_MATRIX) for socket ${event}`);
    for (const entry of appEntries()) assert.ok(names.has(entry) || entry in OUTSIDE_MATRIX, `no matrix row (nor a reason in OUTSIDE_MATRIX) for ${entry}`);
  });

  async function expectDenied(row: AccessRow, who: MatrixActor, code: string, t: MatrixTarget, label: string): Promise<Outcome> {
    const before = await snapshot();
    const outcome = await row.run(stack, who, t);
    assert.equal(outcome.ok, false, `${row.name} by ${label} succeeded`);
    if (!outcome.ok) {
      assert.equal(outcome.error.code, code, `${row.name} by ${label}: ${JSON.stringify(outcome.error)}`);
      if (outcome.status !== undefined) assert.equal(outcome.status, STATUS[code], `${row.name} by ${label}: HTTP status`);
    }
    assert.equal(await snapshot(), before, `${row.name} by ${label} changed the database`);
    tally.denied += 1;
    return outcome;
  }

  /** A target whose named user fits a legitimate call: a fresh member to remove, or a fresh person to add. */
  async function legitimateTarget(row: AccessRow): Promise<MatrixTarget> {
    if (row.call) return callTarget(row.call);
    if (!row.names) return target;
    if (row.names === "own-message") {
      // Edits and deletes for everyone use up a message of the member's: a fresh one each time.
      const own = await emitAck<{ message: MessageDto }>(member.socket, "message:send", { conversationId: group, clientMsgId: randomUUID(), text: "fresh" });
      assert.ok(own.ok);
      return { ...target, ownMessageId: own.data.message.id };
    }
    const fresh = await createUser(stack, `Fresh ${randomBytes(2).toString("hex")} Matrix`);
    if (row.names === "member") {
      assert.equal((await owner.api(`/api/conversations/${group}/members`, { method: "POST", body: JSON.stringify({ userId: fresh.id }) })).status, 201);
    }
    return { ...target, userId: fresh.id };
  }

  /** Ends a call of the owner and the member left by a legitimate request, so the next one starts free. */
  let endLegitimateCall: () => Promise<void> = async () => undefined;

  /** A fresh call in the owner and the member's direct conversation, as far as the row needs it. */
  async function callTarget(stage: NonNullable<AccessRow["call"]>): Promise<MatrixTarget> {
    const id = randomUUID();
    if (stage === "none") {
      // The member places it: the owner, the callee, declines it afterwards.
      endLegitimateCall = async () => void (await emitAck(owner.socket, "call:reject", { callId: id }));
      return { ...target, call: { id, partyId: "" } };
    }
    const placed = await emitAck<{ partyId: string }>(owner.socket, "call:invite", { conversationId: target.directId, callId: id, media: "audio" });
    assert.ok(placed.ok, JSON.stringify(placed));
    endLegitimateCall = async () => void (await emitAck(owner.socket, "call:hangup", { callId: id, partyId: placed.data.partyId }));
    if (stage === "ringing") return { ...target, call: { id, partyId: "" } };
    const answered = await emitAck<{ partyId: string }>(member.socket, "call:answer", { callId: id, media: "audio" });
    assert.ok(answered.ok, JSON.stringify(answered));
    return { ...target, call: { id, partyId: answered.data.partyId } };
  }

  for (const row of ACCESS_ROWS) {
    it(`${row.name}: only the legitimate actor gets through, and a denial changes and announces nothing`, async () => {
      tally.rows += 1;
      const named = row.names === "outsider" ? { ...target, userId: outsider.id } : target;
      const nowhere = () => randomBytes(12).toString("hex");
      const missing = { ...named, fileId: nowhere(), conversationId: nowhere(), messageId: nowhere(), ownMessageId: nowhere(), directId: nowhere(), call: { id: randomUUID(), partyId: "A".repeat(24) } };
      await sleep(QUIET_MS);
      heard.length = 0;

      const reference = await expectDenied(row, stranger, "NOT_FOUND", missing, "a stranger, for a conversation that does not exist");
      for (const [who, label] of [[stranger, "a stranger"], [removed, "a removed member"], [left, "a member who left"]] as const) {
        const outcome = await expectDenied(row, who, "NOT_FOUND", named, label);
        assert.deepEqual(outcome, reference, `${row.name}: ${label} must get exactly what a missing conversation gets`);
      }
      if (row.allowed === "owner") await expectDenied(row, member, "FORBIDDEN", named, "a plain member");
      if (row.reach) await expectDenied({ ...row, run: row.reach.run }, member, row.reach.expect, named, `a member who ${row.reach.what}`);
      await sleep(QUIET_MS);
      assert.deepEqual(heard, [], `${row.name}: a denied call was announced`);

      const legitimate = await row.run(stack, row.allowed === "owner" ? owner : member, await legitimateTarget(row));
      assert.deepEqual(legitimate, { ok: true }, `${row.name} by its legitimate actor`);
      if (row.call) await endLegitimateCall();
      tally.allowed += 1;
    });
  }

  it("former members and strangers do not find the group in their list, over HTTP or the server action", async () => {
    for (const who of [stranger, removed, left]) {
      const listed = (await (await who.api("/api/conversations")).json()) as { conversations: { id: string }[] };
      assert.ok(!listed.conversations.some((c) => c.id === group), `${who.name} lists the group`);
      const viaAction = await callAction<{ id: string }[]>(stack, who, "listConversationsAction", []);
      assert.ok(viaAction.ok && !viaAction.data.some((c) => c.id === group), `${who.name} lists the group through the action`);
    }
    const ownList = (await (await member.api("/api/conversations")).json()) as { conversations: { id: string }[] };
    assert.ok(ownList.conversations.some((c) => c.id === group), "control: a member lists it");
  });

  it("former members heard nothing from the group while every row's legitimate calls went on", async () => {
    await sleep(QUIET_MS);
    assert.ok(tally.allowed > 0, "the rows ran first");
    assert.deepEqual(formerHeard, []);
  });
});
