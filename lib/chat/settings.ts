// The user's own settings. Read receipts work both ways, as in WhatsApp: with them off, others
// see only "delivered" for this user, and this user sees no one's read state.
import { getReadReceipts, setReadReceipts } from "../db/users";
import { settingsSchema, type Settings } from "../schemas/user";
import { oid, parseInput, type Actor } from "./ids";

export async function getSettings({ userId }: Actor): Promise<Settings> {
  return { readReceipts: await getReadReceipts({ id: oid(userId) }) };
}

/** Replaces the user's settings; `changed` says whether anything moved (worth telling their other tabs). */
export async function updateSettings({ userId, input }: Actor & { input: unknown }): Promise<{ settings: Settings; changed: boolean }> {
  const data = parseInput(settingsSchema, input);
  const before = await getSettings({ userId });
  if (before.readReceipts === data.readReceipts) return { settings: before, changed: false };
  await setReadReceipts({ id: oid(userId), readReceipts: data.readReceipts });
  return { settings: data, changed: true };
}

/**
 * What a viewer may see of a member's read watermark: nothing when either of them turned read
 * receipts off (a member always sees their own). `viewer` null, a payload every member gets alike
 * (conversation:updated): none at all; clients keep the watermarks they have, which only rise.
 */
export function visibleReadSeq({
  memberId,
  readSeq,
  memberReceipts,
  viewer,
}: {
  memberId: string;
  readSeq: number;
  memberReceipts: boolean;
  viewer: { id: string; readReceipts: boolean } | null;
}): number {
  if (viewer?.id === memberId) return readSeq;
  if (viewer === null) return 0;
  return memberReceipts && viewer.readReceipts ? readSeq : 0;
}
