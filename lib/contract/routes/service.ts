// The realtime token, call configuration, and the service's own routes.
import { z } from "../../schemas/zod";
import { iceConfigSchema } from "../../schemas/ice";
import { json, route, type HttpRoute } from "../http-route";

const health = z.strictObject({ status: z.enum(["ok", "degraded"]), database: z.enum(["up", "down"]) });
const document = (what: string) => z.record(z.string(), z.unknown()).meta({ description: what });

export const serviceRoutes: HttpRoute[] = [
  route("GET", "/api/realtime/token", {
    area: "Account",
    auth: "session",
    summary: "A token for the socket handshake",
    description:
      "Short-lived and bound to you: give it as `auth: { token }` when opening the socket, or as `Authorization: Bearer <token>` to these routes. A socket closes when its token expires; fetch a new one to reconnect.",
    responses: [json(200, z.strictObject({ token: z.string(), expiresAt: z.iso.datetime() }), "The token and when it expires.")],
  }),
  route("GET", "/api/calls/ice", {
    area: "Calls",
    summary: "ICE servers for a call",
    description: "The RTCConfiguration for a call's peer connection, with TURN credentials minted for you when the server has TURN; fetch again before `expiresAt`. Never cached.",
    responses: [json(200, iceConfigSchema, "The configuration.")],
  }),
  route("GET", "/api/health", {
    area: "Service",
    auth: "none",
    summary: "Health",
    description: "Whether the web app reaches its database.",
    responses: [json(200, health, "Healthy."), json(503, health, "Degraded: the database does not answer.")],
  }),
  route("GET", "/api/openapi.json", {
    area: "Service",
    auth: "none",
    summary: "This API, for machines (OpenAPI 3.1)",
    responses: [json(200, document("The OpenAPI document."), "The document.")],
  }),
  route("GET", "/api/asyncapi.json", {
    area: "Service",
    auth: "none",
    summary: "The socket, for machines (AsyncAPI 3.0)",
    responses: [json(200, document("The AsyncAPI document."), "The document.")],
  }),
];
