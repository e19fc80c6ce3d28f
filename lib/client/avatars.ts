// Who shows a profile picture, and which version of it: learned from every member list and search
// result the client receives and from `user:updated`, the latest arrival winning. Avatars read it
// (components/chat/avatar.tsx), so a new picture shows everywhere at once.
const versions = new Map<string, string>();
const listeners = new Set<() => void>();

export const avatarVersion = (id: string): string | undefined => versions.get(id);

export const avatarUrl = (id: string, version: string) => `/api/users/${id}/avatar?v=${version}`;

/** Records what the server said of each person: a version, or none (initials). */
export function learnAvatars(people: Iterable<{ id: string; avatar?: string | null }>): void {
  let changed = false;
  for (const { id, avatar } of people) {
    if (avatar ? versions.get(id) === avatar : !versions.has(id)) continue;
    if (avatar) versions.set(id, avatar);
    else versions.delete(id);
    changed = true;
  }
  if (changed) for (const listener of listeners) listener();
}

export function subscribeAvatars(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
