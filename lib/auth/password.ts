import argon2 from "argon2";

// argon2id with the library's defaults (64 MiB, t=3, p=4): OWASP's recommended family.
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

let dummyHash: Promise<string> | undefined;

/** With a null hash, verifies against a throwaway one so the time taken does not reveal whether the account exists. */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  // A null check, not a secret comparison: both branches do the same argon2 work.
  // eslint-disable-next-line security/detect-possible-timing-attacks
  if (hash === null) {
    dummyHash ??= hashPassword("parley-dummy-password");
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
