// Holds a recorded session to the documents a running Parley serves: every HTTP answer, every ack
// and every event a socket hears is validated (ajv) against the schema /api/openapi.json or
// /api/asyncapi.json gives for it, and every operation that was exercised is counted.
import { Ajv2020 } from "ajv/dist/2020.js";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { Socket } from "socket.io-client";
import type { Stack } from "./stack";
import type { TestSocket } from "./users";

type Json = { [key: string]: unknown };
type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema?: Json }> }> };
type Message = { name: string; payload: Json };

// ajv-formats is CommonJS with its function as `default`; under tsx's ESM interop it may come wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

const COMPONENTS = "#/components/schemas/";

/** "#/components/schemas/X" → "<base>X" everywhere, so each component is a schema of its own in ajv. */
function rebase(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((inner) => rebase(inner, base));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key === "$ref" && typeof inner === "string" && inner.startsWith(COMPONENTS) ? `${base}${inner.slice(COMPONENTS.length)}` : rebase(inner, base)]),
  );
}

function validatorFor(ajv: Ajv | Ajv2020, components: Record<string, Json>, base: string) {
  for (const [name, schema] of Object.entries(components)) ajv.addSchema({ ...(rebase(schema, base) as Json), $id: `${base}${name}` });
  const compiled = new Map<Json, ValidateFunction>();
  return (schema: Json, value: unknown): string | null => {
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = ajv.compile(rebase(schema, base) as Json)));
    return validate(value) ? null : ajv.errorsText(validate.errors, { separator: "; " });
  };
}

/** A path of the document ("/api/messages/{id}") filled in with its parameters. */
const fill = (template: string, params: Record<string, string>) => template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));

export type Call = {
  /** Cookie or Authorization; none: anonymous. */
  headers?: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  raw?: Uint8Array;
};

export async function contractRecorder(stack: Stack) {
  const openapi = (await (await fetch(`${stack.webUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json> } };
  const asyncapi = (await (await fetch(`${stack.webUrl}/api/asyncapi.json`)).json()) as {
    channels: { socket: { messages: Record<string, Message> } };
    operations: Record<string, { action: "send" | "receive"; title: string }>;
    components: { schemas: Record<string, Json> };
  };
  const http = new Ajv2020({ allErrors: true, strict: true });
  addFormats(http);
  const socket = new Ajv({ allErrors: true, strict: true });
  addFormats(socket);
  const checkHttp = validatorFor(http, openapi.components.schemas, "urn:parley:openapi:");
  const checkSocket = validatorFor(socket, asyncapi.components.schemas, "urn:parley:asyncapi:");

  const exercised = new Set<string>();
  const failures: string[] = [];
  const messages = asyncapi.channels.socket.messages;
  const messageOf = (key: string) => {
    const message = messages[key];
    if (!message) throw new Error(`the AsyncAPI document has no message ${key}`);
    return message;
  };
  const camel = (event: string) => event.replace(/[:-]([a-z])/g, (_, letter: string) => letter.toUpperCase());

  /** One HTTP call, checked against its operation's documented answer for the status it got. */
  async function call(method: string, template: string, { headers = {}, params = {}, query, json, raw }: Call = {}) {
    const operation = openapi.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${template} is not in the OpenAPI document`);
    const url = `${stack.webUrl}${fill(template, params)}${query ? `?${new URLSearchParams(query)}` : ""}`;
    const body = raw ?? (json === undefined ? undefined : JSON.stringify(json));
    const contentType: Record<string, string> = raw ? { "content-type": "application/octet-stream" } : json === undefined ? {} : { "content-type": "application/json" };
    const response = await fetch(url, { method, headers: { ...contentType, ...headers }, body: body as BodyInit | undefined, redirect: "manual" });
    const where = `${method} ${template} → ${response.status}`;
    exercised.add(`${method} ${template}`);
    const documented = operation.responses[String(response.status)];
    const type = response.headers.get("content-type") ?? "";
    const isJson = type.startsWith("application/json");
    const value: unknown = isJson ? await response.json() : new Uint8Array(await response.arrayBuffer());
    if (!documented) {
      failures.push(`${where}: status not documented (${isJson ? JSON.stringify(value).slice(0, 200) : type})`);
    } else if (isJson) {
      const schema = documented.content?.["application/json"]?.schema;
      const problem = schema ? checkHttp(schema, value) : "a JSON body where the document gives none";
      if (problem) failures.push(`${where}: ${problem} in ${JSON.stringify(value).slice(0, 300)}`);
    } else {
      const media = Object.keys(documented.content ?? {});
      const matches = media.some((m) => m === "*/*" || type.startsWith(m));
      if (media.length > 0 ? !matches : (value as Uint8Array).length > 0) failures.push(`${where}: content-type "${type}" where the document gives ${media.join(", ") || "no body"}`);
    }
    return { status: response.status, headers: response.headers, body: value as Json };
  }

  /** A request over the socket; its ack checked against the document's ack message. */
  async function emit(socketOf: TestSocket, event: string, payload: unknown) {
    const timed = socketOf.timeout(5_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Json> };
    const ack = await timed.emitWithAck(event, payload);
    exercised.add(`socket ${event}`);
    const problem = checkSocket(messageOf(`ack.${camel(event)}`).payload, ack);
    if (problem) failures.push(`${event} ack: ${problem} in ${JSON.stringify(ack).slice(0, 300)}`);
    return ack as { ok: true; data: Json } | { ok: false; error: { code: string } };
  }

  const heard = new Set<string>();
  /** Checks every event the socket hears against the document's message of that name. */
  function listen(socketOf: TestSocket) {
    (socketOf as unknown as Socket).onAny((event: string, payload: unknown) => {
      heard.add(event);
      const message = messages[`event.${camel(event)}`];
      if (!message || message.name !== event) return void failures.push(`heard "${event}", which the AsyncAPI document does not describe`);
      const problem = checkSocket(message.payload, payload);
      if (problem) failures.push(`event ${event}: ${problem} in ${JSON.stringify(payload).slice(0, 300)}`);
    });
  }

  /** connect_error's `{ message, data }` against the document. */
  const checkConnectError = (error: { message: string; data?: unknown }) => checkSocket(messageOf("connectError").payload, { message: error.message, data: error.data });

  const operations = Object.entries(openapi.paths).flatMap(([template, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${template}`));
  const requests = Object.values(asyncapi.operations).filter((op) => op.action === "send" && op.title !== "connect").map((op) => `socket ${op.title}`);
  const events = Object.values(asyncapi.operations).filter((op) => op.action === "receive" && op.title !== "connect_error").map((op) => op.title);

  return { openapi, asyncapi, call, emit, listen, checkConnectError, failures, exercised, heard, operations, requests, events };
}
