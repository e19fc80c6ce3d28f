"use server";

// Changes to a stored message for the browser's HTTP half: the same lib/chat calls as the
// socket events and the route handlers, announced to the socket server after the response.
import { after } from "next/server";
import { runAction } from "@/lib/auth/adapters";
import { deleteMessage, editMessage, pinMessage, reactToMessage, type MessageChangeResult } from "@/lib/chat";
import { announceMessageChange } from "@/lib/fanout/announce";

function announced(result: MessageChangeResult) {
  after(() => announceMessageChange(result));
  return { message: result.message };
}

export async function editMessageAction(input: unknown) {
  return runAction("editMessage", async (user) => announced(await editMessage({ userId: user.id, input })));
}

export async function deleteMessageAction(input: unknown) {
  return runAction("deleteMessage", async (user) => announced(await deleteMessage({ userId: user.id, input })));
}

export async function reactToMessageAction(input: unknown) {
  return runAction("reactToMessage", async (user) => announced(await reactToMessage({ userId: user.id, input })));
}

export async function pinMessageAction(input: unknown) {
  return runAction("pinMessage", async (user) => announced(await pinMessage({ userId: user.id, input })));
}
