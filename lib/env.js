// @ts-check
import { z } from "zod";

// One validated view of the environment, shared by the web app and the socket server.
// In development and tests every variable has a working default so a fresh clone runs;
// in production the secrets are required and must be long enough to resist guessing.
// Plain JavaScript, type-checked through JSDoc, because next.config.mjs imports it: Node loads
// that file as it is, so nothing it imports can be TypeScript.

const isProduction = process.env.NODE_ENV === "production";

/** @param {string} name */
function secret(name) {
  const schema = z
    .string({ error: `${name} is required in production (32+ characters; see .env.local.example)` })
    .min(32, { error: `${name} must be at least 32 characters` });
  // A fixed, clearly-labelled development value lets both processes agree without setup.
  return isProduction ? schema : schema.default(`dev-only-${name.toLowerCase()}-not-a-real-secret`);
}

const originList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean))
  .pipe(z.array(z.url()).min(1));

// "<count>/<seconds>": at most count attempts per window of that many seconds.
const windowLimit = z
  .string()
  .regex(/^\d+\/\d+$/, { error: 'expected "<count>/<seconds>", e.g. "10/900"' })
  .transform((value) => {
    const [points, seconds] = /** @type {[number, number]} */ (value.split("/").map(Number));
    return { points, seconds };
  })
  .refine(({ points, seconds }) => points >= 1 && seconds >= 1, { error: "count and seconds must both be at least 1" });

const serverEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, { error: "MONGODB_URI must be a mongodb:// URI" }),
  MONGODB_DB: z.string().min(1).default("parley"),
  NEXTAUTH_URL: z.url().default("http://localhost:3000"),
  NEXTAUTH_SECRET: secret("NEXTAUTH_SECRET"),
  REALTIME_TOKEN_SECRET: secret("REALTIME_TOKEN_SECRET"),
  INTERNAL_EVENTS_SECRET: secret("INTERNAL_EVENTS_SECRET"),
  /** How long a socket handshake token lives; a socket is closed when its token expires (it reconnects with a fresh one). */
  REALTIME_TOKEN_TTL_SECONDS: z.coerce.number().int().min(5).max(24 * 60 * 60).default(10 * 60),
  SOCKET_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  SOCKET_PUBLIC_URL: z.url().default("http://localhost:3001"),
  SOCKET_INTERNAL_URL: z.url().default("http://127.0.0.1:3001"),
  ALLOWED_ORIGINS: originList.optional(),
  /**
   * Redis, for several socket servers: they share rooms and connection state recovery through a
   * Redis Streams adapter, presence and rate limits live there, and the web app announces its
   * writes through it. Unset: one socket server, everything in its memory.
   */
  REDIS_URL: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .regex(/^rediss?:\/\/\S+$/, { error: "REDIS_URL must be a redis:// or rediss:// URL" })
      .optional(),
  ),
  /** Messages per user per second, over the socket and HTTP together (the sustained rate). */
  RATE_LIMIT_MESSAGES_PER_SECOND: z.coerce.number().positive().default(10),
  /** Messages a user may send at once after a quiet spell. */
  RATE_LIMIT_MESSAGES_BURST: z.coerce.number().int().min(1).default(20),
  /** Every other call per user per window (sync, history, receipts, lists, people search, group changes, edits, deletions, reactions, pins), over the socket and HTTP together. */
  RATE_LIMIT_REQUESTS: windowLimit.default({ points: 200, seconds: 10 }),
  /** Files a user may upload per window (POST /api/uploads), whatever their size. */
  RATE_LIMIT_UPLOADS: windowLimit.default({ points: 60, seconds: 60 }),
  /** Searches per user per window (GET /api/search and the socket's `search`), each a page of results. */
  RATE_LIMIT_SEARCHES: windowLimit.default({ points: 60, seconds: 60 }),
  /** Calls a user may place per window (call:invite). */
  RATE_LIMIT_CALLS: windowLimit.default({ points: 10, seconds: 60 }),
  /** Failed sign-ins per email address per window; reaching it refuses that email, even the right password, until the window ends. */
  RATE_LIMIT_SIGN_IN_PER_EMAIL: windowLimit.default({ points: 10, seconds: 900 }),
  /** Failed sign-ins per client IP per window, over every email (password spraying). */
  RATE_LIMIT_SIGN_IN_PER_IP: windowLimit.default({ points: 50, seconds: 900 }),
  /** Sign-up attempts per client IP per window. */
  RATE_LIMIT_SIGN_UP_PER_IP: windowLimit.default({ points: 10, seconds: 3600 }),
  /** How long after sending a person may edit a message, or delete it for everyone (0: never). */
  MESSAGE_EDIT_WINDOW_SECONDS: z.coerce.number().int().min(0).max(365 * 24 * 60 * 60).default(15 * 60),
  /** How long after a user's last connection closes they are announced offline: a reload or a brief drop within it shows nothing. */
  PRESENCE_OFFLINE_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(3_000),
  /**
   * New messages arriving within this many milliseconds (or while their conversation's previous batch is written) are stored with
   * one insert (0: each alone). Each send is still acknowledged only once its own message is stored.
   */
  MESSAGE_WRITE_BATCH_MS: z.coerce.number().int().min(0).max(1_000).default(2),
  /**
   * "off": this process neither writes the search index nor flags conversations behind nor runs the
   * index sweep; search answers from what is indexed. Turning it on again: `npm run search:rebuild
   * -- --continue` indexes what was written meanwhile.
   */
  SEARCH_INDEX: z.enum(["on", "off"]).default("on"),
  /** Reverse proxies in front of the web app that append to X-Forwarded-For (see lib/security/client-ip.ts). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Who may create rooms: "everyone" signed in, or only server "admins" (the first account is one). */
  ROOM_CREATION: z.enum(["everyone", "admins"], { error: 'ROOM_CREATION must be "everyone" or "admins"' }).default("everyone"),
  /** How long a call rings before both sides stop and the conversation records a missed call. */
  CALL_RING_SECONDS: z.coerce.number().min(1).max(600).default(45),
  /** How long a call waits for a party whose tab or connection went away to come back before it ends. */
  CALL_GRACE_SECONDS: z.coerce.number().min(0.5).max(120).default(10),
  /**
   * STUN and TURN servers for the browsers, as the JSON of RTCConfiguration.iceServers, e.g.
   * [{"urls":"stun:stun.example.org:3478"}]. Empty: host candidates only, enough when both people
   * are on one network.
   */
  ICE_SERVERS: z.preprocess(
    (value) => (value === "" || value === undefined ? "[]" : value),
    z
      .string()
      .transform((value, ctx) => {
        try {
          return JSON.parse(value);
        } catch {
          ctx.addIssue({ code: "custom", message: "ICE_SERVERS must be JSON, e.g. [{\"urls\":\"stun:stun.example.org:3478\"}]" });
          return z.NEVER;
        }
      })
      .pipe(
        z.array(
          z.object({
            urls: z.union([z.string().regex(/^(stun|stuns|turn|turns):\S+$/), z.array(z.string().regex(/^(stun|stuns|turn|turns):\S+$/)).min(1)]),
            username: z.string().optional(),
            credential: z.string().optional(),
          }),
          { error: "ICE_SERVERS must be a JSON array of { urls, username?, credential? } with stun: or turn: URLs" },
        ),
      ),
  ),
  /** The static-auth-secret of a coturn server (use-auth-secret): the web app mints short-lived TURN credentials with it. */
  TURN_SECRET: z.preprocess((value) => (value === "" ? undefined : value), z.string().min(16, { error: "TURN_SECRET must be at least 16 characters" }).optional()),
  /** The TURN server's URLs for those credentials, comma-separated, e.g. "turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349". */
  TURN_URLS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^turns?:\S+$/, { error: "each TURN_URLS entry must start with turn: or turns:" })).min(1))
      .optional(),
  ),
  /** "relay": browsers use TURN only (hides people's addresses from each other, and tests the relay); "all": any route. */
  ICE_TRANSPORT_POLICY: z.enum(["all", "relay"]).default("all"),
  /**
   * Where uploaded files are kept: "gridfs" (in the database, through the driver's GridFS) or
   * "fs:<directory>" (files on this machine's disk; every web process must see the same directory).
   */
  FILE_STORAGE: z
    .string()
    .regex(/^(gridfs|fs:.+)$/, { error: 'FILE_STORAGE must be "gridfs" or "fs:<directory>"' })
    .default("gridfs"),
  /** The largest file a person may upload, in bytes. */
  FILE_MAX_BYTES: z.coerce.number().int().min(1).max(2 ** 40).default(25 * 1024 * 1024),
  /** How many bytes of files one person may keep stored (attached or waiting to be). */
  FILE_QUOTA_BYTES: z.coerce.number().int().min(1).max(2 ** 50).default(2 * 1024 ** 3),
  /** An uploaded file no message refers to within this time is deleted. */
  FILE_UNATTACHED_SECONDS: z.coerce.number().int().min(10).max(7 * 24 * 60 * 60).default(60 * 60),
  /** How long minted TURN credentials stay valid. */
  TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 24 * 60 * 60).default(12 * 60 * 60),
  /**
   * Web Push (VAPID, RFC 8292): the application server's P-256 key pair, base64url (public: the
   * 65-byte uncompressed point; private: the 32-byte scalar). Both or neither; neither: push is off
   * and Settings says so. `npm run dev` makes a pair once and keeps it in .data/.
   */
  VAPID_PUBLIC_KEY: optionalKey("VAPID_PUBLIC_KEY", 65),
  VAPID_PRIVATE_KEY: optionalKey("VAPID_PRIVATE_KEY", 32),
  /** Who push services may contact about this server: a mailto: address or an https: URL. Required in production with the keys. */
  VAPID_SUBJECT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, { error: "VAPID_SUBJECT must be a mailto: address or an https: URL" })
      .optional(),
  ),
  /**
   * "1": push subscriptions may name a plain-HTTP endpoint on 127.0.0.1 or localhost even in
   * production, for the test suite's local push service. Outside production they always may.
   */
  PUSH_ALLOW_LOOPBACK_ENDPOINTS: z.enum(["0", "1"]).default("0"),
});

/**
 * An optional base64url key of exactly `bytes` bytes (a P-256 public point starts with 0x04).
 * @param {string} name @param {number} bytes
 */
function optionalKey(name, bytes) {
  return z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, { error: `${name} must be base64url (no padding)` })
      .refine((value) => {
        const raw = Buffer.from(value, "base64url");
        return raw.length === bytes && (bytes !== 65 || raw[0] === 4);
      }, { error: `${name} must be ${bytes} bytes in base64url (generate a pair: npx web-push generate-vapid-keys)` })
      .optional(),
  );
}

// TURN credentials need both halves: a secret with nowhere to use it, or TURN URLs with no way to
// log in to them, is a mistake to stop at start rather than a call that fails to connect later.
/** @param {{ TURN_SECRET?: string | undefined, TURN_URLS?: string[] | undefined }} env @param {z.RefinementCtx} ctx */
function turnPair(env, ctx) {
  if (env.TURN_SECRET && !env.TURN_URLS) {
    ctx.addIssue({ code: "custom", path: ["TURN_URLS"], message: "TURN_SECRET is set but TURN_URLS is not: set both (the TURN server's turn: URLs) or neither" });
  }
  if (env.TURN_URLS && !env.TURN_SECRET) {
    ctx.addIssue({ code: "custom", path: ["TURN_SECRET"], message: "TURN_URLS is set but TURN_SECRET is not: set both (the TURN server's static-auth-secret) or neither" });
  }
}

// VAPID keys come as a pair, and in production with a subject (push services reject a push without one).
/** @param {{ VAPID_PUBLIC_KEY?: string | undefined, VAPID_PRIVATE_KEY?: string | undefined, VAPID_SUBJECT?: string | undefined }} env @param {z.RefinementCtx} ctx */
function vapidKeys(env, ctx) {
  if (!env.VAPID_PUBLIC_KEY !== !env.VAPID_PRIVATE_KEY) {
    const missing = env.VAPID_PUBLIC_KEY ? "VAPID_PRIVATE_KEY" : "VAPID_PUBLIC_KEY";
    ctx.addIssue({ code: "custom", path: [missing], message: `${missing} is missing: set both VAPID keys or neither (push off)` });
  }
  if (isProduction && env.VAPID_PUBLIC_KEY && !env.VAPID_SUBJECT) {
    ctx.addIssue({ code: "custom", path: ["VAPID_SUBJECT"], message: "VAPID_SUBJECT is required with the VAPID keys in production (mailto:you@example.org or an https: URL)" });
  }
}

/** @param {Parameters<typeof turnPair>[0] & Parameters<typeof vapidKeys>[0]} env @param {z.RefinementCtx} ctx */
function pairs(env, ctx) {
  turnPair(env, ctx);
  vapidKeys(env, ctx);
}

/** @typedef {Omit<z.infer<typeof serverEnvSchema>, "ALLOWED_ORIGINS"> & { ALLOWED_ORIGINS: string[] }} ServerEnv */

/** @type {ServerEnv | undefined} */
let cached;

export class EnvError extends Error {}

/**
 * Parses process.env once; throws EnvError listing every problem.
 * @returns {ServerEnv}
 */
export function getServerEnv() {
  if (cached) return cached;
  const parsed = serverEnvSchema.superRefine(pairs).safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const webOrigin = new URL(env.NEXTAUTH_URL).origin;
  cached = { ...env, ALLOWED_ORIGINS: env.ALLOWED_ORIGINS ?? defaultOrigins(webOrigin) };
  return cached;
}

// localhost and 127.0.0.1 are the same machine to a developer but different origins to a browser.
/**
 * @param {string} webOrigin
 * @returns {string[]}
 */
function defaultOrigins(webOrigin) {
  const url = new URL(webOrigin);
  const origins = new Set([webOrigin]);
  if (url.hostname === "localhost") origins.add(`${url.protocol}//127.0.0.1:${url.port}`);
  if (url.hostname === "127.0.0.1") origins.add(`${url.protocol}//localhost:${url.port}`);
  return [...origins];
}

/**
 * For the build: reports variables that are set but malformed (a bad URL, a short secret),
 * without requiring runtime-only values such as MONGODB_URI to exist at build time.
 */
export function checkBuildEnv() {
  const parsed = serverEnvSchema.partial().superRefine(pairs).safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
}
