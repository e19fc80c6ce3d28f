// Removing a member and a socket joining rooms can race: the membership is deleted, then the
// socket server is told and takes the member's sockets out of the room; a socket whose rooms
// were looked up before the delete but that joins them after that announcement would keep the
// room. Every removal this process applies moves a counter; a join that started before the
// counter moved checks its memberships again and leaves what is no longer backed by one.
//
// The counter is per process. With several socket servers (Redis), removals reach every
// instance's sockets through the adapter, but this counter must then move on each of them too.
let removals = 0;

export function noteRemoval(): void {
  removals += 1;
}

/** A mark to compare with later: has any removal been applied since? */
export function removalMark(): number {
  return removals;
}

export function removedSince(mark: number): boolean {
  return removals !== mark;
}
