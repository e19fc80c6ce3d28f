// The contract for machines (issue 17): the registry in lib/contract/ is held to the code it
// describes (every route file's methods, every socket event and its types), and the documents made
// from it are valid OpenAPI 3.1 and AsyncAPI 3.0 by the specifications' own schemas and rules.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { Parser } from "@asyncapi/parser";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { z } from "zod";
import { asyncApiDocument } from "../../lib/contract/asyncapi";
import { HTTP_METHODS } from "../../lib/contract/http-route";
import { openApiDocument, operationId } from "../../lib/contract/openapi";
import { HTTP_ROUTES, UNDOCUMENTED_ROUTES } from "../../lib/contract/routes";
import { CLIENT_EVENT_SPECS, SERVER_EVENT_SPECS, type ClientEventSpec } from "../../lib/contract/socket";
import { errorBodySchema } from "../../lib/contract/errors";
import type { ErrorBody } from "../../lib/errors";
import { CLIENT_EVENTS, SERVER_EVENTS, type AckCallback, type ClientToServerEvents, type ServerToClientEvents } from "../../lib/realtime/events";

// ── Types: each schema of the registry describes exactly the type the code uses ──────────────
// Checked by `npm run typecheck`: a mismatch makes one of these `true`s a type error naming the event.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Client = typeof CLIENT_EVENT_SPECS;
type Server = typeof SERVER_EVENT_SPECS;
type PayloadOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type AckOf<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> ? T : never;
type Mismatched<Specs, Expected> = { [E in keyof Expected]: Same<z.output<Specs[E & keyof Specs] extends { payload: infer S extends z.ZodType } ? S : never>, Expected[E]> extends true ? never : E }[keyof Expected];

type ClientPayloads = { [E in keyof ClientToServerEvents]: PayloadOf<E> };
type ClientAcks = { [E in keyof ClientToServerEvents]: AckOf<E> };
type ServerPayloads = { [E in keyof ServerToClientEvents]: Parameters<ServerToClientEvents[E]>[0] };
type AckMismatched = { [E in keyof ClientAcks]: Same<z.output<Client[E]["ack"]>, ClientAcks[E]> extends true ? never : E }[keyof ClientAcks];

export const typesMatch: {
  clientPayloads: [Mismatched<Client, ClientPayloads>] extends [never] ? true : Mismatched<Client, ClientPayloads>;
  clientAcks: [AckMismatched] extends [never] ? true : AckMismatched;
  serverPayloads: [Mismatched<Server, ServerPayloads>] extends [never] ? true : Mismatched<Server, ServerPayloads>;
  errorBody: Same<z.output<typeof errorBodySchema>, ErrorBody>;
  serverEventsListed: [Exclude<keyof ServerToClientEvents, (typeof SERVER_EVENTS)[number]>] extends [never] ? true : false;
} = { clientPayloads: true, clientAcks: true, serverPayloads: true, errorBody: true, serverEventsListed: true };

// ── The registry against the code ─────────────────────────────────────────────────────────────

const root = process.cwd();

function routeFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const inner = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return routeFiles(inner);
    return entry.name === "route.ts" ? [inner] : [];
  });
}

/** The HTTP methods a route file exports, read from its source: `export async function GET`, `export const POST =`, `export { handler as GET }`. */
function exportedMethods(source: string): string[] {
  const methods = HTTP_METHODS.join("|");
  const found = [
    ...source.matchAll(new RegExp(`export\\s+(?:async\\s+)?function\\s+(${methods})\\b`, "g")),
    ...source.matchAll(new RegExp(`export\\s+const\\s+(${methods})\\b`, "g")),
    ...[...source.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((match) => [...match[1]!.matchAll(new RegExp(`\\bas\\s+(${methods})\\b`, "g"))]),
  ];
  return found.map((match) => match[1]!);
}

/** "/api/files/{id}/{variant}" → "app/api/files/[id]/[variant]/route.ts". */
const fileOf = (apiPath: string) => `app${apiPath.replace(/\{([^}]+)\}/g, "[$1]")}/route.ts`;

describe("the contract's registry", () => {
  it("has an entry for every method every app/api route file exports, and nothing else", () => {
    const inCode = routeFiles("app/api").flatMap((file) => exportedMethods(readFileSync(path.join(root, file), "utf8")).map((method) => `${method} ${file}`));
    const documented = HTTP_ROUTES.map((route) => `${route.method} ${fileOf(route.path)}`);
    const leftOut = UNDOCUMENTED_ROUTES.flatMap(({ file, methods }) => methods.map((method) => `${method} ${file}`));
    assert.ok(inCode.length > 30, `found only ${inCode.length} route methods: is the scan reading the files?`);
    assert.deepEqual([...documented, ...leftOut].sort(), [...inCode].sort());
  });

  it("describes each route once, with a unique operation id", () => {
    const keys = HTTP_ROUTES.map((route) => `${route.method} ${route.path}`);
    assert.equal(new Set(keys).size, keys.length);
    const ids = HTTP_ROUTES.map(operationId);
    assert.equal(new Set(ids).size, ids.length);
  });

  it("gives reads the read scope and writes the write scope, but for the writes that are part of reading", () => {
    // Saying what a client holds is part of reading (test/integration/access-tokens.test.ts holds
    // every documented scope to what the server does with a read-only token).
    const readingWrites = new Set(["POST /api/conversations/{id}/delivered"]);
    for (const route of HTTP_ROUTES) {
      const expected = route.auth === "none" ? null : route.method === "GET" || readingWrites.has(`${route.method} ${route.path}`) ? "read" : "write";
      assert.equal(route.scope, expected, `${route.method} ${route.path}`);
    }
  });

  it("describes every client→server event of CLIENT_EVENTS and every server→client event of SERVER_EVENTS", () => {
    assert.deepEqual(Object.keys(CLIENT_EVENT_SPECS).sort(), [...CLIENT_EVENTS].sort());
    assert.deepEqual(Object.keys(SERVER_EVENT_SPECS).sort(), [...SERVER_EVENTS].sort());
    assert.equal(new Set(SERVER_EVENTS).size, SERVER_EVENTS.length);
  });

  it("names only events that exist where it says what a route or request announces", () => {
    const known = new Set<string>(SERVER_EVENTS);
    for (const route of HTTP_ROUTES) for (const event of route.announces ?? []) assert.ok(known.has(event), `${route.path}: ${event}`);
    for (const [name, spec] of Object.entries(CLIENT_EVENT_SPECS) as [string, ClientEventSpec][]) for (const event of spec.announces ?? []) assert.ok(known.has(event), `${name}: ${event}`);
  });
});

// ── The documents against the specifications ─────────────────────────────────────────────────

type Json = { [key: string]: unknown };

/** Every object schema reachable from `value` (following $refs into `schemas`) leaves nothing undescribed. */
function looseObjects(value: unknown, schemas: Json, where: string, seen = new Set<string>()): string[] {
  if (Array.isArray(value)) return value.flatMap((inner, i) => looseObjects(inner, schemas, `${where}/${i}`, seen));
  if (typeof value !== "object" || value === null) return [];
  const schema = value as Json;
  const ref = schema.$ref;
  const found: string[] = [];
  if (typeof ref === "string") {
    const name = ref.split("/").pop()!;
    if (!seen.has(name)) {
      seen.add(name);
      found.push(...looseObjects(schemas[name], schemas, name, seen));
    }
    // Keywords beside a $ref only narrow what it allows (an error response's code), never widen it.
    return found;
  }
  if (schema.type === "object" && schema.properties && schema.additionalProperties !== false) found.push(where);
  for (const [key, inner] of Object.entries(schema)) if (key !== "$ref") found.push(...looseObjects(inner, schemas, `${where}/${key}`, seen));
  return found;
}

describe("the OpenAPI document", () => {
  const document = openApiDocument();

  it("is valid OpenAPI 3.1 by the specification's schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    assert.equal(validator.version, "3.1");
    assert.deepEqual(result, { valid: true });
  });

  it("is refused by the same validator when broken, so the check above can fail", async () => {
    const broken = structuredClone(document) as Json;
    (broken.paths as Json)["/api/conversations"] = { get: { responses: { 200: { content: {} } } } };
    const result = await new Validator().validate(broken);
    assert.equal(result.valid, false);
  });

  it("has every route and method of the registry, with 24-hex ids in its paths", () => {
    for (const route of HTTP_ROUTES) {
      const operation = (document.paths[route.path] as Json | undefined)?.[route.method.toLowerCase()] as Json | undefined;
      assert.ok(operation, `${route.method} ${route.path}`);
    }
    const messages = (document.paths["/api/conversations/{id}/messages"] as Json).post as { parameters: { name: string; schema: Json }[]; requestBody: Json };
    assert.equal(messages.parameters[0]?.schema.pattern, "^[a-f0-9]{24}$");
    const body = JSON.stringify(messages.requestBody);
    assert.ok(!body.includes("conversationId"), "the body leaves out what the path gives");
    assert.ok(body.includes("clientMsgId"));
  });

  it("describes every field of every answer: no object schema admits fields it does not name", () => {
    const answers = Object.values(document.paths).flatMap((operations) => Object.values(operations as Json).map((operation) => (operation as Json).responses));
    const loose = looseObjects(answers, document.components.schemas as Json, "paths");
    assert.deepEqual(loose, []);
  });
});

describe("the AsyncAPI document", () => {
  const document = asyncApiDocument();
  const parse = async (doc: unknown) => (await new Parser().parse(JSON.stringify(doc))).diagnostics.filter((d) => d.severity <= 1);

  it("is valid AsyncAPI 3.0 by the official parser (schema and rules), with no error or warning", { timeout: 60_000 }, async () => {
    const problems = await parse(document);
    assert.deepEqual(problems.map((d) => `${d.code}: ${d.message} at ${d.path.join(".")}`), []);
  });

  it("is refused by the same parser when broken, so the check above can fail", { timeout: 60_000 }, async () => {
    const broken = structuredClone(document) as Json;
    ((broken.operations as Json)["request.messageSend"] as Json).action = "publish";
    assert.ok((await parse(broken)).length > 0);
  });

  it("has a request, an ack and an operation for every client event, and an event for every server event", () => {
    const messages = document.channels.socket.messages as Json;
    for (const event of CLIENT_EVENTS) {
      const key = `request.${event.replace(/[:-]([a-z])/g, (_, c: string) => c.toUpperCase())}`;
      assert.equal((messages[key] as Json | undefined)?.name, event);
      assert.equal(((document.operations as Json)[key] as Json).action, "send");
    }
    const names = Object.values(messages).map((message) => (message as Json).name);
    for (const event of SERVER_EVENTS) assert.ok(names.includes(event), event);
  });

  it("describes every field of every ack and event: no object schema admits fields it does not name", () => {
    const messages = document.channels.socket.messages as Json;
    const sent = Object.entries(messages).filter(([key]) => !key.startsWith("request.") && key !== "handshake").map(([, message]) => (message as Json).payload);
    assert.deepEqual(looseObjects(sent, document.components.schemas as Json, "messages"), []);
  });
});
