import { z } from "./zod";
import { isVisibleText, isWellFormed, wellFormedError } from "./text";
import { emailSchema } from "./user";
import { PASSWORD_MAX } from "./limits";
import { idSchema } from "./common";

/**
 * What a personal access token may do: `read` (lists, history, sync, search, receiving events),
 * `write` (everything that changes something others can see or that is stored). A browser session
 * has both.
 */
export const TOKEN_SCOPES = ["read", "write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const TOKEN_NAME_MAX = 64;
export const TOKEN_EXPIRY_DAYS_MAX = 366;
/** Tokens one user may hold at once (their list is one bounded read). */
export const TOKENS_PER_USER_MAX = 50;

export const createTokenSchema = z.object({
  name: z
    .string({ error: "Name the token" })
    .trim()
    .refine(isVisibleText, { error: "Name the token" })
    .max(TOKEN_NAME_MAX, { error: `Name must be at most ${TOKEN_NAME_MAX} characters` })
    .refine(isWellFormed, wellFormedError),
  // Each scope once, in a fixed order, whatever order they came in.
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { error: 'Scopes are "read" and "write"' }))
    .min(1, { error: "Choose at least one scope" })
    .max(TOKEN_SCOPES.length * 2)
    .transform((scopes) => TOKEN_SCOPES.filter((scope) => scopes.includes(scope)))
    .default([...TOKEN_SCOPES]),
  /** Days until it stops working; null or absent: until revoked. */
  expiresInDays: z
    .number({ error: "expiresInDays must be a whole number of days or null" })
    .int({ error: "expiresInDays must be a whole number of days or null" })
    .min(1, { error: "A token lasts at least 1 day" })
    .max(TOKEN_EXPIRY_DAYS_MAX, { error: `A token lasts at most ${TOKEN_EXPIRY_DAYS_MAX} days` })
    .nullable()
    .default(null),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;

/** POST /api/tokens without a session: the account's email and password in the body instead. */
export const tokenCredentialsSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Enter your password" }).min(1, { error: "Enter your password" }).max(PASSWORD_MAX),
});

export const tokenRefSchema = z.object({ id: idSchema });

/**
 * A token as its owner sees it in lists; the secret itself is shown once, when it is made.
 * `hint`: its last four characters, to tell two tokens apart. Dates are ISO strings; an
 * expired token stays listed (and refused) until it is removed.
 */
export const accessTokenDtoSchema = z.strictObject({
  id: idSchema,
  name: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  hint: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type AccessTokenDto = z.infer<typeof accessTokenDtoSchema>;

/** The answer to creating one: the token as listed, and its secret `token`, shown this once. */
export const createdTokenSchema = accessTokenDtoSchema.extend({ token: z.string() });
export type CreatedToken = z.infer<typeof createdTokenSchema>;
