// A user's Web Push devices: subscribe (or refresh) one, list them, remove one. What is sent to
// them, and when, is lib/push/notify.ts.
import type { ObjectId } from "mongodb";
import {
  deletePushSubscription,
  deletePushSubscriptions,
  getPushSubscriptionsByUser,
  upsertPushSubscription,
  type PushSubscriptionDoc,
} from "../db/push-subscriptions";
import { AppError, notFound } from "../errors";
import { loopbackEndpointsAllowed, pushConfig } from "../push/config";
import { deviceLabel } from "../push/device-label";
import { PUSH_DEVICES_MAX, pushDeviceRefSchema, pushSubscriptionSchema, type PushDeviceDto } from "../schemas/push";
import { oid, parseInput, type Actor } from "./ids";

const toDeviceDto = (doc: PushSubscriptionDoc): PushDeviceDto => ({
  id: doc._id.toHexString(),
  device: doc.device,
  endpoint: doc.endpoint,
  createdAt: doc.createdAt.toISOString(),
  lastPushAt: doc.lastPushAt?.toISOString() ?? null,
});

/**
 * Stores this browser's subscription for the user: idempotent by endpoint, and an endpoint stored
 * for another account moves to this one. Past PUSH_DEVICES_MAX the user's oldest devices are forgotten.
 * `userAgent`: the subscribing request's, for the device's name.
 */
export async function subscribePush({ userId, input, userAgent }: Actor & { input: unknown; userAgent: string | null }): Promise<PushDeviceDto> {
  if (!pushConfig()) throw new AppError("UNAVAILABLE", "Push notifications are off on this server", { retryable: false });
  const data = parseInput(pushSubscriptionSchema({ allowLoopback: loopbackEndpointsAllowed() }), input);
  const owner = oid(userId);
  const stored = await upsertPushSubscription({ userId: owner, endpoint: data.endpoint, keys: data.keys, device: deviceLabel(userAgent), createdAt: new Date() });
  await forgetOldest(owner, stored._id);
  return toDeviceDto(stored);
}

async function forgetOldest(userId: ObjectId, keep: ObjectId): Promise<void> {
  const all = await getPushSubscriptionsByUser({ userId, limit: PUSH_DEVICES_MAX * 2 });
  if (all.length <= PUSH_DEVICES_MAX) return;
  const oldest = all.filter((doc) => !doc._id.equals(keep)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  await deletePushSubscriptions({ userId, ids: oldest.slice(0, all.length - PUSH_DEVICES_MAX).map((doc) => doc._id) });
}

/** The user's devices, newest first. */
export async function listPushDevices({ userId }: Actor): Promise<PushDeviceDto[]> {
  const docs = await getPushSubscriptionsByUser({ userId: oid(userId), limit: PUSH_DEVICES_MAX * 2 });
  return docs.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map(toDeviceDto);
}

/** Removes one of the user's devices; someone else's (or none) is NOT_FOUND, so ids do not leak. */
export async function removePushDevice({ userId, input }: Actor & { input: unknown }): Promise<void> {
  const { id } = parseInput(pushDeviceRefSchema, input);
  if (!(await deletePushSubscription({ id: oid(id), userId: oid(userId) }))) throw notFound("Device");
}
