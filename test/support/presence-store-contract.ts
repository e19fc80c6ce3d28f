// What every PresenceStore must do, run against the in-memory store (unit) and the Redis one (integration).
import assert from "node:assert/strict";
import type { PresenceStore } from "../../socket-server/presence/store";

export async function checkPresenceStore(store: PresenceStore, [ana, ben]: [string, string]): Promise<void> {
  const t1 = new Date(1_700_000_000_000);
  const t2 = new Date(1_700_000_005_000);
  assert.equal(await store.add(ana, "s1"), true, "the first socket brings a user online");
  assert.equal(await store.add(ana, "s2"), false);
  assert.equal(await store.remove(ana, "s1", t1), false);
  assert.deepEqual([...(await store.online([ana, ben]))], [ana]);
  assert.equal(await store.remove(ana, "s1", t1), false, "a socket removed twice is not a last disconnect");
  assert.equal(await store.remove(ben, "s9", t1), false, "nor one never added");
  assert.equal(await store.remove(ana, "s2", t1), true, "the last socket starts a departure");
  assert.deepEqual([...(await store.online([ana]))], [ana], "leaving still counts as online");
  assert.equal(await store.add(ana, "s3"), false, "back within the grace period: never announced offline");
  assert.equal(await store.settle(ana, t1), false, "a departure that was cancelled does not settle");
  assert.equal(await store.remove(ana, "s3", t2), true);
  assert.equal(await store.settle(ana, t1), false, "only the latest departure settles");
  assert.equal(await store.settle(ana, t2), true);
  assert.equal(await store.settle(ana, t2), false, "a departure settles once");
  assert.deepEqual([...(await store.online([ana, ben]))], []);
  assert.equal(await store.add(ana, "s4"), true, "after settling, the next socket is announced again");
}

/** Attending: a user with a socket whose tab is in view. Visibility follows the socket and never outlives it. */
export async function checkAttending(store: PresenceStore, [ana, ben, cleo]: [string, string, string]): Promise<void> {
  const at = new Date(1_700_000_000_000);
  await store.add(ana, "a1", true);
  await store.add(ben, "b1");
  assert.deepEqual([...(await store.attending([ana, ben, cleo]))], [ana], "a socket in view at its handshake attends; a hidden one does not; no socket does not");
  await store.setVisible(ben, "b1", true);
  assert.deepEqual([...(await store.attending([ana, ben]))].sort(), [ana, ben].sort(), "a tab that came into view");
  await store.add(ben, "b2");
  await store.setVisible(ben, "b1", false);
  assert.deepEqual([...(await store.attending([ben]))], [], "another socket of the user, hidden, does not attend for them");
  await store.setVisible(cleo, "c1", true);
  assert.deepEqual([...(await store.attending([cleo]))], [], "a socket never counted (closed meanwhile) is not made visible");
  await store.remove(ana, "a1", at);
  assert.deepEqual([...(await store.attending([ana]))], [], "a visible socket that closed no longer attends, though its user is leaving");
  await store.setVisible(ana, "a1", true);
  assert.deepEqual([...(await store.attending([ana]))], [], "a late visibility signal of a closed socket changes nothing");
}
