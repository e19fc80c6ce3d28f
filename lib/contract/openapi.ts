// The OpenAPI 3.1 document of the HTTP API, made from lib/contract/routes/ and the zod schemas
// they name. Served by app/api/openapi.json/route.ts, prerendered at build time.
import packageJson from "../../package.json";
import type { ErrorCode } from "../errors";
import { ERROR_MEANINGS, statusOf } from "./errors";
import { AREAS, type HttpRoute } from "./http-route";
import { COMPONENTS, convertInput, convertOutputs, referencedComponents, type JsonSchema } from "./json-schema";
import { HTTP_ROUTES } from "./routes";

const TARGET = "draft-2020-12";
export const SESSION_COOKIE = "next-auth.session-token";

/** "GET /api/conversations/{id}/messages" → "getConversationsByIdMessages": stable, and unique as long as routes are. */
export function operationId({ method, path }: Pick<HttpRoute, "method" | "path">): string {
  const words = path
    .split("/")
    .filter((part) => part !== "" && part !== "api")
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part)?.[1];
      const word = (param ? `by-${param}` : part).replace(/\.json$/, "-json");
      return word.replace(/(^|[-_.])([a-z])/g, (_, _sep: string, letter: string) => letter.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");
    });
  return `${method.toLowerCase()}${words.join("")}`;
}

function security(route: HttpRoute) {
  if (route.auth === "none") return [];
  if (route.auth === "session") return [{ sessionCookie: [] }];
  // For a bearer scheme, OpenAPI 3.1 lets the list name the roles a call needs: here the token's scope.
  return [{ bearerToken: [route.scope] }, { sessionCookie: [] }];
}

function parameters(route: HttpRoute) {
  const path = Object.entries(route.params).map(([name, schema]) => ({ name, in: "path", required: true, schema: convertInput(schema, TARGET) }));
  if (!route.query) return path;
  const query = convertInput(route.query.schema, TARGET, route.query.fromPath);
  const required = (query.required ?? []) as string[];
  const fields = Object.entries((query.properties ?? {}) as Record<string, JsonSchema>).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: "query", required: required.includes(name), ...(description ? { description } : {}), schema: rest };
  });
  return [...path, ...fields];
}

function requestBody(route: HttpRoute) {
  const body = route.body;
  if (!body) return undefined;
  if ("raw" in body) return { required: true, description: `${body.description} Any Content-Type; send Content-Length.`, content: { "application/octet-stream": {} } };
  return { required: true, content: { "application/json": { schema: convertInput(body.schema, TARGET, body.fromPath) } } };
}

const errorResponse = (code: ErrorCode) => ({
  description: `${code}: ${ERROR_MEANINGS[code]}`,
  ...(code === "RATE_LIMITED" ? { headers: { "Retry-After": { description: "Seconds until a retry can succeed.", schema: { type: "integer", minimum: 1 } } } } : {}),
  content: {
    "application/json": {
      // The envelope, with the code this status carries.
      schema: { $ref: `${COMPONENTS}ErrorResponse`, type: "object", properties: { error: { type: "object", properties: { code: { const: code } } } } },
    },
  },
});

function responses(route: HttpRoute, of: (schema: NonNullable<HttpRoute["responses"][number]["schema"]>) => JsonSchema) {
  const answers: Record<string, unknown> = {};
  for (const response of route.responses) {
    const status = String(response.status);
    const previous = answers[status] as { description: string; content?: Record<string, { schema: JsonSchema }> } | undefined;
    // Two answers with one status (200 for "created" and for "already there") are one entry.
    if (previous && response.schema && previous.content?.["application/json"]) {
      previous.description = `${previous.description} Or: ${response.description}`;
      continue;
    }
    const content = response.schema ? { "application/json": { schema: of(response.schema) } } : response.media ? Object.fromEntries(response.media.map((media) => [media, {}])) : undefined;
    answers[status] = { description: response.description, ...(content ? { content } : {}) };
  }
  for (const code of route.errors) {
    const status = String(statusOf(code));
    if (status in answers) throw new Error(`${route.method} ${route.path}: ${status} is both an answer and ${code}`);
    answers[status] = errorResponse(code);
  }
  return answers;
}

export function openApiDocument() {
  const outputs = HTTP_ROUTES.flatMap((route) => route.responses.flatMap((response) => (response.schema ? [response.schema] : [])));
  const { of, components } = convertOutputs(outputs, TARGET);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of HTTP_ROUTES) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: operationId(route),
      tags: [route.area],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      security: security(route),
      ...(route.scope ? { "x-scope": route.scope } : {}),
      ...(route.announces ? { "x-announces": route.announces } : {}),
      parameters: parameters(route),
      ...(route.body ? { requestBody: requestBody(route) } : {}),
      responses: responses(route, of),
    };
  }
  return {
    openapi: "3.1.1",
    info: {
      title: "Parley HTTP API",
      version: packageJson.version,
      description:
        "Everything the browser does, over HTTP. The socket (AsyncAPI, /api/asyncapi.json) carries the same requests and the live events. " +
        "Every error is `{ error: { code, message, retryable, retryAfterMs? } }` with the status of its code. A readable version: /docs/api.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/", description: "The Parley server that serves this document." }],
    tags: AREAS.map((name) => ({ name })),
    paths,
    components: {
      schemas: referencedComponents([paths, components.ErrorResponse], components),
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          description:
            "`Authorization: Bearer <token>`: a personal access token (`parley_pat_…`, from POST /api/tokens or Settings) or a realtime token (GET /api/realtime/token). A personal access token's scopes must include the operation's (`x-scope`); a request with a bearer token is judged by it alone, wherever it comes from.",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "next-auth's session cookie (`__Secure-` in front of its name over HTTPS), for browsers. A write with it must come from the site itself.",
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
