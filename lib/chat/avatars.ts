// Profile pictures: uploaded like a file (the raw image as the body), kept as one small square
// WebP per user, shown by every client in place of the initials. Anyone signed in may see anyone's
// picture, as they may see their name. DESIGN.md "Attachments".
import { rm } from "node:fs/promises";
import { ObjectId } from "mongodb";
import { getAvatar, setAvatar } from "../db/users";
import { getServerEnv } from "../env";
import { AppError, notFound } from "../errors";
import { inspect, isShownImage, makeAvatar } from "../files/inspect";
import { readSpooled, spool } from "../files/spool";
import { blobStorage } from "../storage";
import { oid, type Actor } from "./ids";

export type AvatarChange = { userId: string; name: string; avatar: string | null };

const avatarKey = (userId: string, version: string) => `avatar.${userId}.${version}`;

/** Replaces the user's profile picture with the image in `body`; a new version each time, so clients fetch it anew. */
export async function setProfilePicture({ userId, body, declaredLength }: Actor & { body: ReadableStream<Uint8Array> | null; declaredLength: number | null }): Promise<AvatarChange> {
  const env = getServerEnv();
  const spooled = await spool(body, { maxBytes: env.FILE_MAX_BYTES, declared: declaredLength });
  const picture = `${spooled.path}.avatar`;
  try {
    const { type } = await inspect(spooled.path, { pictures: false });
    if (!isShownImage(type)) throw new AppError("VALIDATION", "Choose a JPEG, PNG, GIF, WebP or AVIF picture");
    await makeAvatar(spooled.path, picture).catch(() => {
      throw new AppError("VALIDATION", "This picture cannot be read; choose another");
    });
    const version = new ObjectId().toHexString();
    const storage = blobStorage();
    await storage.put(avatarKey(userId, version), readSpooled(picture));
    const replaced = await setAvatar({ id: oid(userId), avatar: version });
    if (replaced) await storage.remove(avatarKey(userId, replaced)).catch(() => undefined);
    return { userId, name: (await getAvatar({ id: oid(userId) }))?.name ?? "", avatar: version };
  } finally {
    await Promise.all([spooled.remove(), rm(/* turbopackIgnore: true */ picture, { force: true })]);
  }
}

/** Back to initials. */
export async function removeProfilePicture({ userId }: Actor): Promise<AvatarChange> {
  const replaced = await setAvatar({ id: oid(userId), avatar: null });
  if (replaced) await blobStorage().remove(avatarKey(userId, replaced)).catch(() => undefined);
  return { userId, name: (await getAvatar({ id: oid(userId) }))?.name ?? "", avatar: null };
}

/** The blob of someone's current picture, and its version; NOT_FOUND when they have none. */
export async function profilePictureOf({ ownerId }: { ownerId: string }): Promise<{ key: string; version: string }> {
  if (!/^[a-f0-9]{24}$/.test(ownerId)) throw notFound("Picture");
  const user = await getAvatar({ id: oid(ownerId) });
  if (!user?.avatar) throw notFound("Picture");
  return { key: avatarKey(ownerId, user.avatar), version: user.avatar };
}

/** The user's own picture version, for the page that renders them. */
export async function ownAvatar({ userId }: Actor): Promise<string | null> {
  return (await getAvatar({ id: oid(userId) }))?.avatar ?? null;
}
