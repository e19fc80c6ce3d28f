// zod → JSON Schema for the documents, with zod 4's own z.toJSONSchema. What the server sends
// (responses, acks, events) is converted as output, all in one pass, so each named shape is one
// component that the others point at with $ref; what a client sends (bodies, queries, payloads)
// is converted as input (defaults make a field optional), inline, as the core parses it.
import { z } from "../schemas/zod";
import {
  callDtoSchema,
  callEntryDtoSchema,
  conversationDtoSchema,
  conversationSummarySchema,
  directoryRoomDtoSchema,
  fileDtoSchema,
  lastMessageDtoSchema,
  memberDtoSchema,
  messageDtoSchema,
  messagePageSchema,
  presenceDtoSchema,
  profileDtoSchema,
  reactionDtoSchema,
  replyPreviewSchema,
  roomDtoSchema,
  roomInfoSchema,
  roomPreviewDtoSchema,
  searchResultSchema,
  syncResultSchema,
  userDtoSchema,
} from "../schemas/dto";
import { errorBodySchema, errorResponseSchema } from "./errors";

export type JsonSchema = { [key: string]: unknown };
export type Target = "draft-2020-12" | "draft-07";

/** The shapes the documents name (components/schemas), by the names the code gives their types. */
export const NAMED_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  UserDto: userDtoSchema,
  MemberDto: memberDtoSchema,
  ProfileDto: profileDtoSchema,
  MessageDto: messageDtoSchema,
  CallEntryDto: callEntryDtoSchema,
  CallDto: callDtoSchema,
  FileDto: fileDtoSchema,
  ReactionDto: reactionDtoSchema,
  ReplyPreview: replyPreviewSchema,
  LastMessageDto: lastMessageDtoSchema,
  ConversationDto: conversationDtoSchema,
  ConversationSummary: conversationSummarySchema,
  RoomInfo: roomInfoSchema,
  RoomDto: roomDtoSchema,
  DirectoryRoomDto: directoryRoomDtoSchema,
  RoomPreviewDto: roomPreviewDtoSchema,
  PresenceDto: presenceDtoSchema,
  MessagePage: messagePageSchema,
  SyncResult: syncResultSchema,
  SearchResult: searchResultSchema,
  ErrorBody: errorBodySchema,
  ErrorResponse: errorResponseSchema,
};

export const COMPONENTS = "#/components/schemas/";
const ANONYMOUS = "__anonymous";

// A format says it all: zod's regex for it beside the format is long, and adds nothing a reader
// or a validator with formats needs.
const FORMATS_WITHOUT_PATTERN = new Set(["date-time", "uuid", "email"]);
const override = ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
  if (typeof jsonSchema.format === "string" && FORMATS_WITHOUT_PATTERN.has(jsonSchema.format)) delete jsonSchema.pattern;
};

/** Drops the keys z.toJSONSchema puts on a root that a schema inside a document must not carry. */
function embedded(schema: JsonSchema): JsonSchema {
  return without(schema, ["$schema", "$id"]);
}

const without = (schema: JsonSchema, keys: readonly string[]): JsonSchema => Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));

/**
 * Converts everything the server sends at once. `of(schema)` is a schema's JSON Schema (a $ref
 * when it is named); `components` holds every named shape that anything refers to.
 */
export function convertOutputs(schemas: readonly z.ZodType[], target: Target) {
  const registry = z.registry<{ id: string }>();
  const ids = new Map<z.ZodType, string>();
  for (const [name, schema] of Object.entries(NAMED_SCHEMAS)) {
    registry.add(schema, { id: name });
    ids.set(schema, name);
  }
  for (const schema of schemas) {
    if (ids.has(schema)) continue;
    const id = `${ANONYMOUS}${ids.size}`;
    registry.add(schema, { id });
    ids.set(schema, id);
  }
  const converted = z.toJSONSchema(registry, { target, io: "output", override, uri: (id) => `${COMPONENTS}${id}` }).schemas as Record<string, JsonSchema>;
  if ("__shared" in converted) throw new Error("a shape refers to itself: the documents have no place for shared definitions");

  // Unnamed shapes are written where they are used, never as components.
  const anonymous = new Map(Object.entries(converted).filter(([id]) => id.startsWith(ANONYMOUS)).map(([id, schema]) => [id, embedded(schema)]));
  const inlineAnonymous = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inlineAnonymous);
    if (typeof value !== "object" || value === null) return value;
    const ref = (value as JsonSchema).$ref;
    if (typeof ref === "string" && ref.startsWith(`${COMPONENTS}${ANONYMOUS}`)) return inlineAnonymous(anonymous.get(ref.slice(COMPONENTS.length)));
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, inlineAnonymous(inner)]));
  };
  const named = Object.fromEntries(Object.keys(NAMED_SCHEMAS).map((name) => [name, inlineAnonymous(embedded(converted[name]!)) as JsonSchema]));
  const of = (schema: z.ZodType): JsonSchema => {
    const id = ids.get(schema);
    if (id === undefined) throw new Error("convertOutputs: a schema that was not passed in");
    return id.startsWith(ANONYMOUS) ? (inlineAnonymous(anonymous.get(id)) as JsonSchema) : { $ref: `${COMPONENTS}${id}` };
  };
  return { of, components: named };
}

/** A client's input as the core parses it, with the fields the route takes from its path left out. */
export function convertInput(schema: z.ZodType, target: Target, omit: readonly string[] = []): JsonSchema {
  return withoutProperties(embedded(z.toJSONSchema(schema, { target, io: "input", override }) as JsonSchema), omit);
}

function withoutProperties(schema: JsonSchema, omit: readonly string[]): JsonSchema {
  if (omit.length === 0) return schema;
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) return { ...schema, [key]: branches.map((branch: JsonSchema) => withoutProperties(branch, omit)) };
  }
  const properties = Object.fromEntries(Object.entries((schema.properties ?? {}) as JsonSchema).filter(([name]) => !omit.includes(name)));
  const required = ((schema.required ?? []) as string[]).filter((name) => !omit.includes(name));
  const rest = without(schema, ["required"]);
  return required.length > 0 ? { ...rest, properties, required } : { ...rest, properties };
}

/** Every component that `roots` refer to, directly or through other components. */
export function referencedComponents(roots: unknown, components: Readonly<Record<string, JsonSchema>>): Record<string, JsonSchema> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== "object" || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === "$ref" && typeof inner === "string" && inner.startsWith(COMPONENTS)) {
        const name = inner.slice(COMPONENTS.length);
        if (!found.has(name)) {
          found.add(name);
          walk(components[name]);
        }
      } else walk(inner);
    }
  };
  walk(roots);
  return Object.fromEntries(Object.keys(components).filter((name) => found.has(name)).map((name) => [name, components[name]!]));
}
