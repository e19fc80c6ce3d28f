// Accounts: signing up, finding people, one's own settings and picture, and server admins.
import { z } from "../../schemas/zod";
import { userDtoSchema } from "../../schemas/dto";
import { registerSchema, settingsSchema, userSearchSchema } from "../../schemas/user";
import { json, route, type HttpRoute } from "../http-route";

const settings = z.strictObject({ settings: settingsSchema });
const roleView = z.strictObject({
  role: z.literal("admin").nullable().meta({ description: "Your server role." }),
  admins: z.array(userDtoSchema).meta({ description: "Every server admin, for admins only (empty for others)." }),
});
const avatar = (description: string) => z.strictObject({ avatar: z.string().nullable().meta({ description }) });

export const accountRoutes: HttpRoute[] = [
  route("POST", "/api/register", {
    area: "Account",
    auth: "none",
    summary: "Sign up",
    description: "Creates an account; sign in afterwards. Limited per client address. The first account becomes a server admin.",
    body: { schema: registerSchema },
    responses: [json(201, z.strictObject({ user: userDtoSchema.pick({ id: true, name: true }) }), "Created.")],
    // Not authenticated, so not all of AUTHENTICATED_ERRORS: FORBIDDEN for a cross-site form post.
    errors: ["VALIDATION", "FORBIDDEN", "CONFLICT", "RATE_LIMITED", "UNAVAILABLE", "INTERNAL"],
  }),
  route("GET", "/api/users", {
    area: "Account",
    summary: "Find people",
    description: "By name (a part of it) or a whole email address. Others' addresses are masked (`emailHint`); `email` only for the one whose whole address was typed.",
    query: { schema: userSearchSchema },
    responses: [json(200, z.strictObject({ users: z.array(userDtoSchema) }), "The people found.")],
    errors: ["VALIDATION"],
  }),
  route("GET", "/api/settings", {
    area: "Account",
    summary: "Your settings",
    responses: [json(200, settings, "Your settings.")],
  }),
  route("PATCH", "/api/settings", {
    area: "Account",
    summary: "Change your settings",
    description: "With read receipts off, others see only your delivered watermark, and you see no one's read state. Your other tabs hear `settings:updated`.",
    body: { schema: settingsSchema },
    responses: [json(200, settings, "Your settings as they now are.")],
    errors: ["VALIDATION"],
    announces: ["settings:updated"],
  }),
  route("PUT", "/api/settings/avatar", {
    area: "Account",
    summary: "Set your profile picture",
    description: "The image's raw bytes as the body (as for an upload): JPEG, PNG, GIF, WebP or AVIF.",
    body: { raw: true, description: "The picture's bytes." },
    responses: [json(200, avatar("The new picture's version."), "Stored.")],
    errors: ["VALIDATION", "TOO_LARGE"],
    announces: ["user:updated"],
  }),
  route("DELETE", "/api/settings/avatar", {
    area: "Account",
    summary: "Remove your profile picture",
    description: "Back to initials.",
    responses: [json(200, avatar("null: no picture."), "Removed.")],
    announces: ["user:updated"],
  }),
  route("GET", "/api/admins", {
    area: "Account",
    summary: "Your server role",
    description: "An admin also gets the list of admins.",
    responses: [json(200, roleView, "Your role.")],
  }),
  route("PUT", "/api/admins/{userId}", {
    area: "Account",
    summary: "Make someone a server admin",
    description: "Server admins only.",
    responses: [json(200, roleView, "The admins now.")],
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  route("DELETE", "/api/admins/{userId}", {
    area: "Account",
    summary: "Take the server admin role back",
    description: "Server admins only; never from the last admin.",
    responses: [json(200, roleView, "The admins now.")],
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
];
