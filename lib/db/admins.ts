// Server admins: a role on the user, and one singleton document that makes the role's two rules
// atomic without transactions. Its insert (a unique _id) decides which sign-up is the first, so two
// concurrent first sign-ups cannot both become admin; its `count`, moved only by conditional
// updates, makes "never remove the last admin" hold against two admins removing each other at once.
import type { ObjectId } from "mongodb";
import { getDb } from "./client";
import { isDuplicateKeyError } from "./messages";
import type { UserDoc } from "./users";

type AdminsDoc = { _id: "admins"; count: number; first: ObjectId; createdAt: Date };

const singletons = async () => (await getDb()).collection<AdminsDoc>("singletons");
const users = async () => (await getDb()).collection<UserDoc>("users");

/** Whether any account exists yet: reads at most one document. */
export async function anyUserExists(): Promise<boolean> {
  return (await (await users()).findOne({}, { projection: { _id: 1 } })) !== null;
}

/** Claims the first admin's place for this (not yet stored) user; false when someone already has it. */
export async function claimFirstAdmin({ userId }: { userId: ObjectId }): Promise<boolean> {
  try {
    await (await singletons()).insertOne({ _id: "admins", count: 1, first: userId, createdAt: new Date() });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Gives the claim back when the claimant's account could not be stored after all (a taken email). */
export async function releaseFirstAdmin({ userId }: { userId: ObjectId }): Promise<void> {
  await (await singletons()).deleteOne({ _id: "admins", first: userId });
}

export async function getRole({ id }: { id: ObjectId }): Promise<"admin" | null> {
  const user = await (await users()).findOne({ _id: id }, { projection: { role: 1 } });
  return user?.role === "admin" ? "admin" : null;
}

export async function getAdmins(): Promise<Pick<UserDoc, "_id" | "name">[]> {
  return (await users()).find({ role: "admin" }, { projection: { name: 1 } }).sort({ name: 1 }).limit(100).toArray();
}

/** Makes the user an admin; false when they already were (or do not exist). */
export async function grantAdmin({ id }: { id: ObjectId }): Promise<boolean> {
  const granted = await (await users()).updateOne({ _id: id, role: { $ne: "admin" } }, { $set: { role: "admin" } });
  if (granted.modifiedCount === 0) return false;
  await (await singletons()).updateOne({ _id: "admins" }, { $inc: { count: 1 } });
  return true;
}

/**
 * Takes the role away; "not-admin" when they had none, "last" when they are the last admin. The
 * count goes down first, and only while it is above one: of two concurrent removals of the last
 * two admins, one finds the count at one and is refused.
 */
export async function revokeAdmin({ id }: { id: ObjectId }): Promise<"revoked" | "not-admin" | "last"> {
  if ((await getRole({ id })) !== "admin") return "not-admin";
  const col = await singletons();
  const reserved = await col.updateOne({ _id: "admins", count: { $gt: 1 } }, { $inc: { count: -1 } });
  if (reserved.modifiedCount === 0) return "last";
  const revoked = await (await users()).updateOne({ _id: id, role: "admin" }, { $unset: { role: "" } });
  if (revoked.modifiedCount > 0) return "revoked";
  // Someone else revoked them meanwhile: give the count back.
  await col.updateOne({ _id: "admins" }, { $inc: { count: 1 } });
  return "not-admin";
}
