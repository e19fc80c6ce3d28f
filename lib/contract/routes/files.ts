// Files travel over HTTP only: streamed up as a raw body, served back with the checks of a read.
import { z } from "../../schemas/zod";
import { fileDtoSchema } from "../../schemas/dto";
import { json, route, type HttpRoute } from "../http-route";

const webp = ["image/webp"] as const;
const notModified = { status: 304, description: "Not modified: the copy named by If-None-Match is current." };

export const fileRoutes: HttpRoute[] = [
  route("POST", "/api/uploads", {
    area: "Files",
    summary: "Upload a file",
    description:
      "The file's raw bytes as the body (any Content-Type; send Content-Length), streamed to storage. A message then carries it by id (`attachments`); a file no message carries within an hour is swept.",
    query: { schema: z.object({ name: z.string().optional().meta({ description: "The file's name; the server makes it safe to store and show." }) }) },
    body: { raw: true, description: "The file's bytes." },
    responses: [json(201, z.strictObject({ file: fileDtoSchema }), "Stored; `type` was sniffed from the content.")],
    errors: ["VALIDATION", "TOO_LARGE"],
  }),
  route("GET", "/api/files/{id}", {
    area: "Files",
    summary: "Download a file",
    description: "The file as uploaded: inline for video and audio (with Range requests), a download for everything else. Only members of its conversation (before it is sent, only its uploader) may read it.",
    query: { schema: z.object({ download: z.string().optional().meta({ description: "Present (any value): always a download." }) }) },
    responses: [{ status: 200, description: "The file, with the type sniffed from it at upload.", media: ["*/*"] }, { status: 206, description: "The range asked for.", media: ["*/*"] }, notModified, { status: 416, description: "A range that starts past the end." }],
    errors: ["NOT_FOUND"],
  }),
  route("GET", "/api/files/{id}/{variant}", {
    area: "Files",
    summary: "An image's thumbnail or preview",
    description: "Re-encoded as WebP, upright, without metadata: `thumbnail` at most 640 px, `preview` at most 2048 px.",
    params: { variant: z.enum(["thumbnail", "preview"]) },
    responses: [{ status: 200, description: "The image.", media: webp }, notModified],
    errors: ["NOT_FOUND"],
  }),
  route("GET", "/api/users/{id}/avatar", {
    area: "Files",
    summary: "Someone's profile picture",
    description: "WebP, 256 px square, for anyone signed in. With `v` naming the current version, the answer may be cached for good.",
    query: { schema: z.object({ v: z.string().optional().meta({ description: "The version a client was told of (`avatar` in a UserDto or ProfileDto)." }) }) },
    responses: [{ status: 200, description: "The picture.", media: webp }],
    errors: ["NOT_FOUND"],
  }),
];
