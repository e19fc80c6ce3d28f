// Personal access tokens (bots and scripts) and Web Push devices: the caller's own credentials
// and notification endpoints.
import { z } from "../../schemas/zod";
import { pushDeviceDtoSchema, pushKeyDtoSchema, pushSubscriptionSchema } from "../../schemas/push";
import { accessTokenDtoSchema, createdTokenSchema, createTokenSchema, TOKEN_SCOPES, tokenCredentialsSchema } from "../../schemas/token";
import { json, noContent, route, type HttpRoute } from "../http-route";

export const tokenRoutes: HttpRoute[] = [
  route("GET", "/api/me", {
    area: "Account",
    summary: "Who you are",
    description: "Whom the credential speaks for and what it may do: a bot's first call, to tell its own messages from others'. `tokenId`: the personal access token in use, null for a browser session.",
    responses: [
      json(
        200,
        z.strictObject({ id: z.string(), name: z.string(), scopes: z.array(z.enum(TOKEN_SCOPES)), tokenId: z.string().nullable() }),
        "You, and the scopes of this credential.",
      ),
    ],
  }),
  route("GET", "/api/tokens", {
    area: "Account",
    summary: "Your personal access tokens",
    description: "Newest first, never with their secrets: each with its scopes, the last four characters of the secret (`hint`), its expiry and when it was last used.",
    responses: [json(200, z.strictObject({ tokens: z.array(accessTokenDtoSchema) }), "Your tokens.")],
  }),
  route("POST", "/api/tokens", {
    area: "Account",
    // Not a bearer route: a signed-in page (the session cookie), or anyone with the account's
    // email and password in the body. A token cannot make another.
    auth: "none",
    summary: "Make a personal access token",
    description:
      "From a signed-in page, or with the account's `email` and `password` in the same body (the sign-in limits apply): how a script gets its first token without a cookie. `scopes`: `read`, `write` or both (the default); `expiresInDays`: 1–366, or null for none. The secret (`token`) is in this answer only. A request with a bearer token is FORBIDDEN. At most 50 per user.",
    body: { schema: createTokenSchema.extend(tokenCredentialsSchema.partial().shape) },
    responses: [json(201, createdTokenSchema, "The token as listed, and its secret.")],
    errors: ["VALIDATION", "UNAUTHORIZED", "FORBIDDEN", "CONFLICT", "RATE_LIMITED", "UNAVAILABLE", "INTERNAL"],
  }),
  route("DELETE", "/api/tokens/{id}", {
    area: "Account",
    summary: "Revoke a personal access token",
    description: "It is refused from now on, and every socket opened with it closes within 2 s. Another user's token, or one already gone, is NOT_FOUND.",
    responses: [json(200, z.strictObject({ id: z.string() }), "Revoked.")],
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  route("GET", "/api/push/key", {
    area: "Account",
    summary: "The server's Web Push key",
    description: "The VAPID public key a browser subscribes with, or `enabled: false` when push is off on this server.",
    responses: [json(200, pushKeyDtoSchema, "The key, or that push is off.")],
  }),
  route("GET", "/api/push/subscriptions", {
    area: "Account",
    summary: "Your devices that get push notifications",
    responses: [json(200, z.strictObject({ devices: z.array(pushDeviceDtoSchema) }), "Your devices, newest first.")],
  }),
  route("POST", "/api/push/subscriptions", {
    area: "Account",
    summary: "Get push notifications on this device",
    description:
      "The body is the browser's `PushSubscription.toJSON()`. Idempotent by endpoint; an endpoint another account had moves to you. The endpoint must be https to a named host. Messages, mentions and calls then reach the device while none of your tabs is in view.",
    body: { schema: pushSubscriptionSchema({ allowLoopback: false }) },
    responses: [json(201, z.strictObject({ device: pushDeviceDtoSchema }), "The device.")],
    errors: ["VALIDATION"],
  }),
  route("DELETE", "/api/push/subscriptions/{id}", {
    area: "Account",
    summary: "Stop push notifications on a device",
    description: "Another person's device, or one already gone, is NOT_FOUND.",
    responses: [noContent("Removed.")],
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
];
