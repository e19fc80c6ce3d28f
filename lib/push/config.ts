// Whether this server sends Web Push, and as whom: the VAPID keys and subject from the validated
// environment (lib/env.js). Without keys push is off, and everything that would send one says so.
import { getServerEnv } from "../env";

export type PushConfig = { publicKey: string; privateKey: string; subject: string };

// web-push refuses to sign without a subject; outside production one is made up rather than required.
const DEV_SUBJECT = "mailto:parley-dev@example.invalid";

export function pushConfig(): PushConfig | null {
  const env = getServerEnv();
  if (!env.VAPID_PUBLIC_KEY || !env.VAPID_PRIVATE_KEY) return null;
  return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject: env.VAPID_SUBJECT ?? DEV_SUBJECT };
}

/** Plain-HTTP loopback endpoints are accepted outside production, or when the test suite asks for them. */
export function loopbackEndpointsAllowed(): boolean {
  const env = getServerEnv();
  return env.NODE_ENV !== "production" || env.PUSH_ALLOW_LOOPBACK_ENDPOINTS === "1";
}
