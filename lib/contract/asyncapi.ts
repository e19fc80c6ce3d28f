// The AsyncAPI 3.0 document of the socket, made from lib/contract/socket.ts and the zod schemas it
// names. Written from a client's point of view: its requests are `send` operations whose reply is
// the ack, the server's events are `receive` operations. Schemas are JSON Schema draft-07, the
// dialect AsyncAPI's own schema format extends (2020-12 is not one of its formats).
// Served by app/api/asyncapi.json/route.ts, prerendered at build time.
import packageJson from "../../package.json";
import { z } from "../schemas/zod";
import { ERROR_MEANINGS, ackSchema, errorBodySchema } from "./errors";
import { convertInput, convertOutputs, referencedComponents } from "./json-schema";
import { CLIENT_EVENT_SPECS, HANDSHAKE, SERVER_EVENT_SPECS, socketErrors, type ClientEventSpec, type ServerEventSpec } from "./socket";

const TARGET = "draft-07";
const CHANNEL = "socket";
const channelRef = { $ref: `#/channels/${CHANNEL}` };
const messageRef = (key: string) => ({ $ref: `#/channels/${CHANNEL}/messages/${key}` });

/** "call:answered-elsewhere" → "callAnsweredElsewhere": keys must be letters, digits, ".", "-" and "_". */
const camel = (event: string) => event.replace(/[:-]([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** The keys a socket event's messages and operations have in the document. */
export const asyncApiKeys = {
  request: (event: string) => `request.${camel(event)}`,
  ack: (event: string) => `ack.${camel(event)}`,
  event: (event: string) => `event.${camel(event)}`,
};

export const CONNECT_ERROR_PAYLOAD = z.strictObject({
  message: z.string().meta({ description: "`<code>: <message>`." }),
  data: errorBodySchema.meta({ description: "The error, in the one shape of every transport." }),
});

export function asyncApiDocument() {
  const clientEvents = Object.entries(CLIENT_EVENT_SPECS) as [string, ClientEventSpec][];
  const serverEvents = Object.entries(SERVER_EVENT_SPECS) as [string, ServerEventSpec][];
  const acks = new Map(clientEvents.map(([event, spec]) => [event, ackSchema(spec.ack)]));
  const { of, components } = convertOutputs([...acks.values(), ...serverEvents.map(([, spec]) => spec.payload), CONNECT_ERROR_PAYLOAD], TARGET);

  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const [event, spec] of clientEvents) {
    const errors = socketErrors(spec);
    messages[asyncApiKeys.request(event)] = { name: event, title: event, summary: spec.summary, payload: convertInput(spec.payload, TARGET) };
    messages[asyncApiKeys.ack(event)] = {
      name: `${event} ack`,
      title: `${event}: ack`,
      summary: "`{ ok: true, data }`, or `{ ok: false, error }` with one of its error codes.",
      description: errors.map((code) => `- ${code}: ${ERROR_MEANINGS[code]}`).join("\n"),
      payload: of(acks.get(event)!),
    };
    operations[asyncApiKeys.request(event)] = {
      action: "send",
      channel: channelRef,
      title: event,
      summary: spec.summary,
      tags: [{ name: spec.area }],
      messages: [messageRef(asyncApiKeys.request(event))],
      reply: { channel: channelRef, messages: [messageRef(asyncApiKeys.ack(event))] },
      "x-errors": errors,
      "x-scope": spec.scope ?? "write",
      ...(spec.announces ? { "x-announces": spec.announces } : {}),
    };
  }
  for (const [event, spec] of serverEvents) {
    messages[asyncApiKeys.event(event)] = { name: event, title: event, summary: spec.summary, payload: of(spec.payload) };
    operations[asyncApiKeys.event(event)] = {
      action: "receive",
      channel: channelRef,
      title: event,
      summary: spec.summary,
      description: `To ${spec.to}.`,
      tags: [{ name: spec.area }],
      messages: [messageRef(asyncApiKeys.event(event))],
    };
  }
  messages.handshake = {
    name: "handshake",
    title: "Handshake",
    summary: "Not an event: the `auth` option of `io(url, { auth: { token } })`, sent with Socket.IO's CONNECT packet.",
    payload: convertInput(HANDSHAKE.auth, TARGET),
  };
  messages.connectError = {
    name: "connect_error",
    title: "connect_error",
    summary: "The server refused the handshake; `data` is the error.",
    description: HANDSHAKE.refusalCodes.map((code) => `- ${code}: ${ERROR_MEANINGS[code]}`).join("\n"),
    payload: of(CONNECT_ERROR_PAYLOAD),
  };
  operations.connect = {
    action: "send",
    channel: channelRef,
    title: "connect",
    summary: "Open the socket with a personal access token (or, in a browser, a realtime token). The server joins it to your own room and your conversations' rooms; you never join a room by name.",
    messages: [messageRef("handshake")],
  };
  operations.connectError = { action: "receive", channel: channelRef, title: "connect_error", summary: "The handshake was refused.", messages: [messageRef("connectError")] };

  return {
    asyncapi: "3.0.0",
    info: {
      title: "Parley socket",
      version: packageJson.version,
      description:
        "The live half of Parley: Socket.IO 4 on the default namespace. Described from a client's point of view: what it sends (requests, each answered by an ack) and what it receives (events). " +
        "Requests are verbs, events past tense. The HTTP API (OpenAPI, /api/openapi.json) carries the same requests. A readable version: /docs/api.",
    },
    defaultContentType: "application/json",
    servers: {
      parley: {
        host: "{host}",
        protocol: "ws",
        pathname: "/socket.io/",
        title: "The socket server",
        description: "Socket.IO 4 over WebSocket (or HTTP long-polling). A browser's Origin must be in the server's allowlist.",
        variables: { host: { default: "localhost:3001", description: "The host of SOCKET_PUBLIC_URL." } },
        security: [{ $ref: "#/components/securitySchemes/realtimeToken" }],
      },
    },
    channels: { [CHANNEL]: { address: "/", title: "The default namespace", messages, servers: [{ $ref: "#/servers/parley" }] } },
    operations,
    components: {
      schemas: referencedComponents(messages, components),
      securitySchemes: {
        realtimeToken: {
          type: "http",
          scheme: "bearer",
          description: "A personal access token (`parley_pat_…`; its scopes apply to every request, see `x-scope`) or, in a browser, a token from GET /api/realtime/token, given as `auth: { token }` in the handshake (not as a header). The socket closes when it expires or is revoked.",
        },
      },
    },
  };
}

export type AsyncApiDocument = ReturnType<typeof asyncApiDocument>;
