// The /docs/api page's model: the two documents, read back into rows a person can scan (a field's
// name, a type in words, whether it is required, what it means). Made from the documents
// themselves, so the page says what machines are told, and nothing else.
import { asyncApiDocument } from "./asyncapi";
import { ERROR_CODES, ERROR_MEANINGS, statusOf } from "./errors";
import { AREAS } from "./http-route";
import { COMPONENTS, type JsonSchema } from "./json-schema";
import { openApiDocument, operationId } from "./openapi";
import { HTTP_ROUTES } from "./routes";
import { CLIENT_EVENT_SPECS, SERVER_EVENT_SPECS, socketErrors, type ClientEventSpec, type ServerEventSpec } from "./socket";

/** A type in words; `schema` parts link to that shape's entry. */
export type TypePart = { text: string; schema?: string };
export type Field = { name: string; type: TypePart[]; required: boolean; description?: string; fields?: Field[] };
/** A shape: its fields when it is an object, else what it is. */
export type Shape = { type: TypePart[]; fields?: Field[]; variants?: Shape[] };

export type RouteView = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description?: string;
  auth: "user" | "session" | "none";
  scope: "read" | "write" | null;
  params: Field[];
  body?: Shape | { raw: string };
  answers: { status: number; description: string; shape?: Shape; media?: string[] }[];
  errors: { code: string; status: number }[];
  announces: string[];
};

export type RequestView = { id: string; event: string; summary: string; scope: "read" | "write"; payload: Shape; ack: Shape; errors: string[]; announces: string[] };
export type EventView = { id: string; event: string; summary: string; to: string; payload: Shape };
export type AreaView = { name: string; routes: RouteView[]; requests: RequestView[]; events: EventView[] };

export type ApiReference = {
  version: string;
  areas: AreaView[];
  shapes: { name: string; description?: string; shape: Shape }[];
  errors: { code: string; status: number; meaning: string }[];
  handshake: Shape;
};

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function words(schema: JsonSchema): TypePart[] {
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith(COMPONENTS)) return [{ text: ref.slice(COMPONENTS.length), schema: ref.slice(COMPONENTS.length) }];
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = schema[key] as JsonSchema[] | undefined;
    if (branches) return branches.flatMap((branch, i) => [...(i > 0 ? [{ text: " or " }] : []), ...words(branch)]);
  }
  if ("const" in schema) return [{ text: JSON.stringify(schema.const) }];
  if (Array.isArray(schema.enum)) return [{ text: schema.enum.map((value) => JSON.stringify(value)).join(" | ") }];
  const type = schema.type;
  if (Array.isArray(type)) return type.flatMap((one: string, i) => [...(i > 0 ? [{ text: " or " }] : []), ...words({ ...schema, type: one })]);
  const limits: string[] = [];
  if (type === "array") {
    const items = schema.items as JsonSchema | undefined;
    if (typeof schema.minItems === "number") limits.push(`at least ${schema.minItems}`);
    if (typeof schema.maxItems === "number") limits.push(`at most ${schema.maxItems}`);
    return [{ text: "array of " }, ...(items ? words(items) : [{ text: "anything" }]), ...(limits.length ? [{ text: ` (${limits.join(", ")})` }] : [])];
  }
  if (type === "string") {
    if (schema.pattern === "^[a-f0-9]{24}$") return [{ text: "id (24 hex digits)" }];
    if (typeof schema.format === "string") return [{ text: schema.format === "date-time" ? "date-time (ISO 8601)" : schema.format }];
    if (typeof schema.minLength === "number") limits.push(`at least ${schema.minLength}`);
    if (typeof schema.maxLength === "number") limits.push(`at most ${schema.maxLength}`);
    return [{ text: limits.length ? `string (${limits.join(", ")} characters)` : "string" }];
  }
  if (type === "integer" || type === "number") {
    const min = schema.minimum as number | undefined;
    const max = schema.maximum as number | undefined;
    if (min !== undefined && min > -MAX_SAFE) limits.push(`≥ ${min}`);
    if (max !== undefined && max < MAX_SAFE) limits.push(`≤ ${max}`);
    return [{ text: [type, ...limits].join(" ") }];
  }
  if (type === "object") return [{ text: schema.properties ? "object" : "object (any keys)" }];
  return [{ text: typeof type === "string" ? type : "anything" }];
}

function fieldsOf(schema: JsonSchema): Field[] | undefined {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return undefined;
  const required = (schema.required ?? []) as string[];
  return Object.entries(properties).map(([name, property]) => {
    const fallback = property.default === undefined ? undefined : `Default: ${JSON.stringify(property.default)}.`;
    const description = [property.description, fallback].filter(Boolean).join(" ") || undefined;
    const nested = property.type === "object" ? fieldsOf(property) : undefined;
    return { name, type: words(property), required: required.includes(name), ...(description ? { description } : {}), ...(nested ? { fields: nested } : {}) };
  });
}

function shapeOf(schema: JsonSchema, components: Record<string, JsonSchema>): Shape {
  const branches = (schema.oneOf ?? (schema.anyOf && !(schema.anyOf as JsonSchema[]).some((b) => b.type === "null") ? schema.anyOf : undefined)) as JsonSchema[] | undefined;
  if (branches) return { type: words(schema), variants: branches.map((branch) => shapeOf(branch, components)) };
  const ref = schema.$ref;
  const target = typeof ref === "string" && ref.startsWith(COMPONENTS) ? components[ref.slice(COMPONENTS.length)] : undefined;
  const fields = fieldsOf(target ?? schema);
  return { type: words(schema), ...(fields ? { fields } : {}) };
}

/** An operation of the OpenAPI document, as far as the page reads it. */
type OperationJson = {
  parameters: { name: string; in: string; required: boolean; description?: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: JsonSchema }> }>;
};

/** The `data` of an ack's success branch (`{ ok: true, data }`): what a client reads; a failure is the one error shape. */
function ackData(payload: JsonSchema): JsonSchema {
  const success = (payload.anyOf as JsonSchema[] | undefined)?.find((branch) => (branch.properties as Record<string, JsonSchema> | undefined)?.ok?.const === true);
  const data = (success?.properties as Record<string, JsonSchema> | undefined)?.data;
  if (!data) throw new Error("an ack without a success branch");
  return data;
}

function buildReference(): ApiReference {
  const openapi = openApiDocument();
  const asyncapi = asyncApiDocument();
  const httpShapes = openapi.components.schemas as Record<string, JsonSchema>;
  const socketShapes = asyncapi.components.schemas as Record<string, JsonSchema>;
  const messages = asyncapi.channels.socket.messages as Record<string, { payload: JsonSchema }>;

  const routes: RouteView[] = HTTP_ROUTES.map((route) => {
    const operation = (openapi.paths[route.path] as Record<string, OperationJson>)[route.method.toLowerCase()]!;
    const body = operation.requestBody?.content["application/json"]?.schema;
    return {
      id: operationId(route),
      method: route.method,
      path: route.path,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      auth: route.auth,
      scope: route.scope,
      params: operation.parameters.map((p) => ({ name: p.in === "path" ? `{${p.name}}` : `?${p.name}`, type: words(p.schema), required: p.required, ...(p.description ? { description: p.description } : {}) })),
      ...(route.body ? { body: "raw" in route.body ? { raw: route.body.description } : shapeOf(body!, httpShapes) } : {}),
      answers: route.responses.map((answer) => {
        const content = operation.responses[String(answer.status)]?.content?.["application/json"]?.schema;
        return { status: answer.status, description: answer.description, ...(content ? { shape: shapeOf(content, httpShapes) } : {}), ...(answer.media ? { media: [...answer.media] } : {}) };
      }),
      errors: route.errors.map((code) => ({ code, status: statusOf(code) })),
      announces: [...(route.announces ?? [])],
    };
  });

  const key = (event: string) => event.replace(/[:-]([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const requests = (Object.entries(CLIENT_EVENT_SPECS) as [string, ClientEventSpec][]).map(([event, spec]) => ({
    area: spec.area,
    view: {
      id: `socket-${key(event)}`,
      event,
      summary: spec.summary,
      scope: (spec.scope ?? "write") as RequestView["scope"],
      payload: shapeOf(messages[`request.${key(event)}`]!.payload, socketShapes),
      ack: shapeOf(ackData(messages[`ack.${key(event)}`]!.payload), socketShapes),
      errors: socketErrors(spec),
      announces: [...(spec.announces ?? [])],
    },
  }));
  const events = (Object.entries(SERVER_EVENT_SPECS) as [string, ServerEventSpec][]).map(([event, spec]) => ({
    area: spec.area,
    view: { id: `event-${key(event)}`, event, summary: spec.summary, to: spec.to, payload: shapeOf(messages[`event.${key(event)}`]!.payload, socketShapes) },
  }));

  const areas = AREAS.map((name) => ({
    name,
    routes: routes.filter((_, i) => HTTP_ROUTES[i]!.area === name),
    requests: requests.filter((r) => r.area === name).map((r) => r.view),
    events: events.filter((e) => e.area === name).map((e) => e.view),
  }))
    .filter((area) => area.routes.length + area.requests.length + area.events.length > 0);

  const allShapes = { ...socketShapes, ...httpShapes };
  return {
    version: openapi.info.version,
    areas,
    shapes: Object.keys(allShapes)
      .sort()
      .map((name) => ({ name, ...(allShapes[name]!.description ? { description: allShapes[name]!.description as string } : {}), shape: shapeOf(allShapes[name]!, allShapes) })),
    errors: ERROR_CODES.map((code) => ({ code, status: statusOf(code), meaning: ERROR_MEANINGS[code] })),
    handshake: shapeOf(messages.handshake!.payload, socketShapes),
  };
}

let cached: ApiReference | undefined;
/** The model, made once per process: it follows from the code alone. */
export function apiReference(): ApiReference {
  return (cached ??= buildReference());
}
