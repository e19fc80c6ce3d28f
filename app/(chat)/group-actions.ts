"use server";

// Group management for the browser: the same lib/chat calls as the route handlers. Each change
// is announced before answering, so a removed member's sockets are out of the room by then.
import { runAction } from "@/lib/auth/adapters";
import { addMember, removeMember, renameConversation, setMemberRole, type GroupChange } from "@/lib/chat";
import { announceGroupChange } from "@/lib/fanout/announce";

async function announced(change: GroupChange) {
  await announceGroupChange(change);
  return { conversation: change.conversation };
}

export async function renameConversationAction(input: unknown) {
  return runAction("renameConversation", async (user) => announced(await renameConversation({ userId: user.id, input })));
}

export async function addMemberAction(input: unknown) {
  return runAction("addMember", async (user) => announced(await addMember({ userId: user.id, input })));
}

/** Removes a member, or leaves when `userId` is one's own. */
export async function removeMemberAction(input: unknown) {
  return runAction("removeMember", async (user) => {
    await announceGroupChange(await removeMember({ userId: user.id, input }));
    return {};
  });
}

/** The owner makes a member an admin, or an admin a member again. */
export async function setMemberRoleAction(input: unknown) {
  return runAction("setMemberRole", async (user) => announced(await setMemberRole({ userId: user.id, input })));
}
