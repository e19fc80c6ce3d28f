// Group management over the real stack: rename, add, remove and leave, as every member sees
// them live, and the security half: a member who left or was removed hears nothing more from
// the group, over a live socket, a new socket or a recovered one.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { ConversationDto, ConversationSummary, MessageDto } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { collect, createUser, emitAck, openDirect, openRecoverable, sleep, socketPool, waitFor, type TestSocket, type TestUser } from "../support/users";

type Created = { message: MessageDto };

async function createGroup(owner: TestUser, name: string, members: TestUser[]): Promise<string> {
  const response = await owner.api("/api/conversations", {
    method: "POST",
    body: JSON.stringify({ kind: "group", name, memberIds: members.map((m) => m.id) }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

async function send(socket: TestSocket, conversationId: string, text: string): Promise<MessageDto> {
  const ack = await emitAck<Created>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text });
  assert.ok(ack.ok, `message:send failed: ${JSON.stringify(ack)}`);
  return ack.data.message;
}

const removeMember = (actor: TestUser, conversationId: string, userId: string) =>
  actor.api(`/api/conversations/${conversationId}/members/${userId}`, { method: "DELETE" });

const addMember = (actor: TestUser, conversationId: string, userId: string) =>
  actor.api(`/api/conversations/${conversationId}/members`, { method: "POST", body: JSON.stringify({ userId }) });

describe("group management", () => {
  let stack: Stack;
  let owner: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  let dan: TestUser;
  const pool = socketPool(() => stack);
  const open = pool.open;

  before(async () => {
    stack = await startStack();
    [owner, ben, cleo, dan] = (await Promise.all(["Olga", "Ben", "Cleo", "Dan"].map((n) => createUser(stack, `${n} Groups`)))) as TestUser[] as [
      TestUser,
      TestUser,
      TestUser,
      TestUser,
    ];
  });

  after(async () => {
    pool.closeAll();
    await stack?.stop();
  });

  it("renames a group: every member gets the new name and a system message; a direct conversation has no name to change", async () => {
    const group = await createGroup(owner, "Before", [ben, cleo]);
    const benSocket = await open(ben);
    const updates = collect<{ conversation: ConversationSummary }>(benSocket, "conversation:updated");
    const created = collect<Created>(benSocket, "message:created");

    const response = await ben.api(`/api/conversations/${group}`, { method: "PATCH", body: JSON.stringify({ name: "  After  " }) });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { conversation: ConversationSummary }).conversation.name, "After");
    await waitFor(() => updates.some((u) => u.conversation.id === group && u.conversation.name === "After"), { what: "conversation:updated" });
    const record = await waitFor(() => created.find((c) => c.message.conversationId === group), { what: "the system message" });
    assert.equal(record.message.kind, "system");
    assert.match(record.message.text, /Ben Groups renamed the group to “After”/);

    // The same name again changes nothing and records nothing.
    assert.equal((await ben.api(`/api/conversations/${group}`, { method: "PATCH", body: JSON.stringify({ name: "After" }) })).status, 200);
    await sleep(300);
    assert.equal(created.filter((c) => c.message.conversationId === group).length, 1);

    const dm = await openDirect(owner, ben);
    const refused = await ben.api(`/api/conversations/${dm}`, { method: "PATCH", body: JSON.stringify({ name: "Nope" }) });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "FORBIDDEN");
  });

  it("adds a member: their sockets join at once, they see the history, and only the news of their arrival is unread", async () => {
    const group = await createGroup(owner, "Adds", [ben, cleo]);
    const ownerSocket = await open(owner);
    await send(ownerSocket, group, "said before Dan came");
    const danSocket = await open(dan);
    const danCreated = collect<{ conversation: ConversationDto }>(danSocket, "conversation:created");
    const danMessages = collect<Created>(danSocket, "message:created");

    const response = await addMember(ben, group, dan.id);
    assert.equal(response.status, 201);
    const view = await waitFor(() => danCreated.find((c) => c.conversation.id === group), { what: "Dan's conversation:created" });
    assert.ok(view.conversation.members.some((m) => m.id === dan.id));
    await waitFor(() => danMessages.some((m) => m.message.kind === "system" && /added Dan Groups/.test(m.message.text)), { what: "the record of the addition" });
    const live = await send(ownerSocket, group, "welcome Dan");
    await waitFor(() => danMessages.some((m) => m.message.id === live.id), { what: "the next message, live" });

    const history = (await (await dan.api(`/api/conversations/${group}/messages`)).json()) as { messages: MessageDto[] };
    assert.ok(history.messages.some((m) => m.text === "said before Dan came"));
    // Adding them again changes nothing.
    assert.equal((await addMember(owner, group, dan.id)).status, 200);
  });

  it("removes a member: their sockets leave before anything more is said, and every way back in says NOT_FOUND", async () => {
    const group = await createGroup(owner, "Removal", [ben, cleo]);
    const [ownerSocket, benSocket, cleoSocket] = await Promise.all([open(owner), open(ben), open(cleo)]);
    const cleoMessages = collect<Created>(cleoSocket, "message:created");
    const cleoUpdates = collect<unknown>(cleoSocket, "conversation:updated");
    const cleoRemoved = collect<{ conversationId: string }>(cleoSocket, "conversation:removed");
    const benMessages = collect<Created>(benSocket, "message:created");
    await send(ownerSocket, group, "while Cleo is in");
    await waitFor(() => cleoMessages.length === 1, { what: "Cleo's first message" });

    // Ben is a member but not the owner: he cannot remove anyone.
    const refused = await removeMember(ben, group, cleo.id);
    assert.equal(refused.status, 403);

    assert.equal((await removeMember(owner, group, cleo.id)).status, 204);
    // Answered only once her sockets are out: nothing sent from now on may reach them.
    await waitFor(() => cleoRemoved.length === 1, { what: "conversation:removed" });
    assert.deepEqual(cleoRemoved, [{ conversationId: group }]);
    const afterSocket = await send(benSocket, group, "after Cleo left, over the socket");
    const overHttp = await ben.api(`/api/conversations/${group}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "after, over HTTP" }) });
    assert.equal(overHttp.status, 201);
    const cleoNewSocket = await open(cleo);
    const cleoNewMessages = collect<Created>(cleoNewSocket, "message:created");
    await send(ownerSocket, group, "after, to a fresh socket too");
    await waitFor(() => benMessages.filter((m) => m.message.conversationId === group).length >= 5, { what: "Ben's copies" });
    await sleep(500);
    assert.deepEqual(cleoMessages.map((m) => m.message.text), ["while Cleo is in"], "Cleo's old socket heard nothing after her removal");
    assert.equal(cleoNewMessages.length, 0, "nor did a socket she opened afterwards");
    assert.equal(cleoUpdates.length, 0, "nor the member list's change");
    assert.ok(afterSocket.seq > 0);

    for (const [event, payload] of [
      ["message:send", { conversationId: group, clientMsgId: randomUUID(), text: "let me back" }],
      ["sync", { conversationId: group, sinceVersion: 0 }],
      ["conversation:read", { conversationId: group, seq: 1 }],
      ["conversation:delivered", { conversationId: group, seq: 1 }],
    ] as const) {
      const ack = await emitAck(cleoNewSocket, event, payload);
      assert.equal(!ack.ok && ack.error.code, "NOT_FOUND", event);
    }
    await sleep(300);
    assert.equal(cleoNewMessages.length, 0, "a refused sync does not join the room either");
    // The group is gone from her list.
    const list = (await (await cleo.api("/api/conversations")).json()) as { conversations: { id: string }[] };
    assert.ok(!list.conversations.some((c) => c.id === group));
    assert.equal((await removeMember(owner, group, cleo.id)).status, 404, "removing her again finds no member");
  });

  it("leaving: the leaver hears nothing more, and an owner who leaves hands the group to the longest-standing member", async () => {
    const group = await createGroup(owner, "Leaving", [ben, cleo, dan]);
    const [ownerSocket, benSocket] = await Promise.all([open(owner), open(ben)]);
    const ownerMessages = collect<Created>(ownerSocket, "message:created");
    const benMessages = collect<Created>(benSocket, "message:created");
    const benUpdates = collect<{ conversation: ConversationSummary }>(benSocket, "conversation:updated");

    assert.equal((await removeMember(owner, group, owner.id)).status, 204);
    await waitFor(() => benMessages.some((m) => m.message.kind === "system" && m.message.text === "Olga Groups left"), { what: "the record of leaving" });
    await send(benSocket, group, "after Olga left");
    await sleep(400);
    assert.ok(!ownerMessages.some((m) => m.message.conversationId === group), "the leaver heard nothing, not even her own departure");
    assert.equal((await removeMember(owner, group, owner.id)).status, 404, "leaving twice: no longer a member");

    // Everyone left joined with the group: one of them is the owner now, and only they may remove.
    const { conversation } = await waitFor(() => benUpdates.find((u) => u.conversation.id === group), { what: "the new member list" });
    assert.deepEqual(conversation.members.map((m) => m.id).sort(), [ben.id, cleo.id, dan.id].sort());
    const owners = conversation.members.filter((m) => m.role === "owner");
    assert.equal(owners.length, 1, "exactly one new owner");
    const byId = new Map([ben, cleo, dan].map((u) => [u.id, u]));
    const heir = byId.get(owners[0]!.id)!;
    const [other, target] = [ben, cleo, dan].filter((u) => u !== heir) as [TestUser, TestUser];
    assert.equal((await removeMember(other, group, heir.id)).status, 403, "a plain member may not remove");
    assert.equal((await removeMember(heir, group, target.id)).status, 204);
  });

  it("admins: the owner names them, they remove plain members but not the owner or each other, and inherit an owner who leaves", async () => {
    const group = await createGroup(owner, "Admins", [ben, cleo, dan]);
    const setRole = (actor: TestUser, userId: string, role: string) =>
      actor.api(`/api/conversations/${group}/members/${userId}`, { method: "PATCH", body: JSON.stringify({ role }) });
    const benSocket = await open(ben);
    const notes = collect<Created>(benSocket, "message:created");

    assert.equal((await setRole(ben, cleo.id, "admin")).status, 403, "only the owner names admins");
    const named = await setRole(owner, ben.id, "admin");
    assert.equal(named.status, 200);
    const summary = ((await named.json()) as { conversation: ConversationSummary }).conversation;
    assert.equal(summary.members.find((m) => m.id === ben.id)?.role, "admin");
    await waitFor(() => notes.some((n) => n.message.kind === "system" && n.message.text === "Olga Groups made Ben Groups an admin"), { what: "the record" });
    assert.equal((await setRole(owner, owner.id, "member")).status, 403, "the owner's own role does not change");

    assert.equal((await removeMember(dan, group, cleo.id)).status, 403, "a plain member removes nobody");
    assert.equal((await removeMember(ben, group, owner.id)).status, 403, "an admin does not remove the owner");
    assert.equal((await removeMember(ben, group, cleo.id)).status, 204, "an admin removes a plain member");

    // The owner leaves: the admin takes over, although Dan joined as early.
    assert.equal((await removeMember(owner, group, owner.id)).status, 204);
    const list = (await (await ben.api("/api/conversations")).json()) as { conversations: ConversationDto[] };
    const members = list.conversations.find((c) => c.id === group)!.members;
    assert.equal(members.find((m) => m.id === ben.id)?.role, "owner");
    assert.equal((await setRole(ben, dan.id, "admin")).status, 200, "the new owner names admins");
  });

  it("a member removed while away is not sent what was said meanwhile when the connection state is recovered", async () => {
    const group = await createGroup(owner, "Recovery", [ben, cleo]);
    const ownerSocket = await open(owner);
    const socket = openRecoverable(stack, cleo.token, { delayMs: 600 });
    pool.sockets.push(socket);
    const seen = collect<Created>(socket, "message:created");
    await waitFor(() => socket.connected, { what: "Cleo connected" });
    await send(ownerSocket, group, "hello Cleo");
    await waitFor(() => seen.length === 1, { what: "a first broadcast, so there is an offset to resume from" });

    socket.io.engine.close();
    await waitFor(() => !socket.connected, { what: "Cleo away" });
    assert.equal((await removeMember(owner, group, cleo.id)).status, 204);
    await send(ownerSocket, group, "said while Cleo was away, after her removal");
    await waitFor(() => socket.connected, { timeoutMs: 5_000, what: "Cleo back" });
    assert.equal(socket.recovered, true, "the session itself was recovered");
    await send(ownerSocket, group, "said after she came back");
    await sleep(500);
    assert.deepEqual(seen.map((m) => m.message.text), ["hello Cleo"]);
  });
});
