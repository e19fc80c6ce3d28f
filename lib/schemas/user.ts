import { z } from "./zod";
import { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN } from "./limits";
import { isVisibleText, isWellFormed, wellFormedError } from "./text";

export { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN };

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { error: "Email is too long" })
  .pipe(z.email({ error: "Enter a valid email address" }));

export const registerSchema = z.object({
  name: z
    .string()
    .trim()
    // A name of invisible characters only would leave people nothing to find or recognise.
    .refine(isVisibleText, { error: "Enter your name" })
    .max(NAME_MAX, { error: `Name must be at most ${NAME_MAX} characters` })
    .refine(isWellFormed, wellFormedError),
  email: emailSchema,
  password: z
    .string()
    .min(PASSWORD_MIN, { error: `Password must be at least ${PASSWORD_MIN} characters` })
    .max(PASSWORD_MAX, { error: `Password must be at most ${PASSWORD_MAX} characters` }),
});
export type RegisterInput = z.infer<typeof registerSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(PASSWORD_MAX),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const userSearchSchema = z.object({
  q: z.string().trim().min(1, { error: "Type a name or email" }).max(100),
});
export type UserSearchInput = z.infer<typeof userSearchSchema>;

export const settingsSchema = z.object({ readReceipts: z.boolean({ error: "readReceipts must be true or false" }) });
export type Settings = z.infer<typeof settingsSchema>;
