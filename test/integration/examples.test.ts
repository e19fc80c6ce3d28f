// The example bots (examples/node/bot.mjs, examples/python/bot.py), run as a developer runs them: a
// child process with PARLEY_URL, PARLEY_SOCKET_URL and PARLEY_TOKEN, against the real stack. Each
// gets an account and a token made over HTTP with its password, then a person talks to it: a
// direct conversation, a group it is added to while running, a message that is not a ping, a ping
// of its own account's, a ping sent while the socket server is down (answered once it is back), and
// the token revoked (it says so and exits non-zero). Every ping is answered exactly once.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import type { ConversationDto, MessageDto } from "../../lib/schemas/dto";
import type { CreatedToken } from "../../lib/schemas/token";
import { ensureExamplesPython } from "../../scripts/examples-python.mjs";
import { root } from "../../scripts/processes.mjs";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

type Bot = { name: string; command: () => string; args: string[] };
type Running = { child: ChildProcess; lines: string[]; exited: Promise<number | null> };
type Relay = { url: string; holdAfter(pattern: string, ms: number): void; close(): void };

/**
 * A TCP relay in front of the socket server, to lose an ack on the way to a bot: armed with
 * `holdAfter`, it passes the next server→bot chunk containing `pattern` and holds back everything
 * after it for `ms` (the bot's reply is acked meanwhile, and its ack waits here).
 */
function startRelay(targetPort: number): Promise<Relay> {
  let armed: { pattern: string; ms: number } | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((bot) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const socket of [bot, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => {
        sockets.delete(socket);
        bot.destroy();
        upstream.destroy();
      });
    }
    bot.pipe(upstream);
    let held: Buffer[] | null = null;
    upstream.on("data", (chunk: Buffer) => {
      if (held) return void held.push(chunk);
      bot.write(chunk);
      if (armed && chunk.includes(armed.pattern)) {
        const { ms } = armed;
        armed = null;
        held = [];
        setTimeout(() => {
          if (!bot.destroyed) bot.write(Buffer.concat(held!));
          held = null;
        }, ms);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        holdAfter: (pattern, ms) => void (armed = { pattern, ms }),
        close: () => {
          server.close();
          for (const socket of sockets) socket.destroy();
        },
      });
    }),
  );
}

let python = "";
const BOTS: Bot[] = [
  { name: "node", command: () => process.execPath, args: ["examples/node/bot.mjs"] },
  { name: "python", command: () => python, args: ["-u", "examples/python/bot.py"] },
];

describe("example bots", { timeout: 180_000 }, () => {
  let stack: Stack;
  let human: TestUser;
  let friends: TestUser[];
  const latencies: string[] = [];
  /** Every bot process started, each stopped by its own pid in `after` if it still runs. */
  const children: Running[] = [];

  /** The HTTP API as a person (session cookie), with a token, or with neither. */
  const http = async <T>(credential: TestUser | { token: string } | null, route: string, init: RequestInit = {}) => {
    const bearer: Record<string, string> = credential && !("cookie" in credential) ? { authorization: `Bearer ${credential.token}` } : {};
    const response =
      credential && "cookie" in credential
        ? await credential.api(route, init)
        : await fetch(`${stack.webUrl}${route}`, { ...init, headers: { "content-type": "application/json", ...bearer } });
    const text = await response.text();
    assert.ok(response.ok, `${init.method ?? "GET"} ${route}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  const post = <T>(credential: TestUser | { token: string } | null, route: string, body: unknown) => http<T>(credential, route, { method: "POST", body: JSON.stringify(body) });

  /** Starts a bot with only the three variables it documents (and PATH). */
  function start(bot: Bot, env: Record<string, string>): Running {
    // Nothing of this process's environment but PATH (the project's NodeJS.ProcessEnv demands NODE_ENV, which a bot has no use for).
    const childEnv = { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv;
    const child = spawn(bot.command(), bot.args, { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    for (const stream of [child.stdout!, child.stderr!]) {
      let partial = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        const parts = (partial + chunk).split("\n");
        partial = parts.pop()!;
        for (const line of parts) {
          lines.push(line);
          if (process.env.PARLEY_TEST_VERBOSE) console.log(`[${bot.name} bot] ${line}`);
        }
      });
    }
    // "close", not "exit": by then everything it wrote has been read.
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    const running = { child, lines, exited };
    children.push(running);
    return running;
  }

  /** Stops a bot by its own pid, if it still runs. */
  async function stop(running: Running) {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return;
    running.child.kill("SIGTERM");
    const timer = setTimeout(() => running.child.kill("SIGKILL"), 5_000);
    await running.exited;
    clearTimeout(timer);
  }

  before(async () => {
    [stack, python] = await Promise.all([startStack(), ensureExamplesPython()]);
    [human, ...friends] = await Promise.all([createUser(stack, "Hana Human"), createUser(stack, "Fred Friend"), createUser(stack, "Gina Friend")]);
  });

  after(async () => {
    await Promise.all(children.map(stop));
    await stack?.stop();
    if (latencies.length > 0) console.log(`[examples] ${latencies.join("; ")}`);
  });

  for (const bot of BOTS) {
    describe(`${bot.name} bot`, () => {
      let running: Running | undefined;
      let botId: string;
      let token: CreatedToken;
      let humanSocket: TestSocket;
      let relay: Relay;
      let heard: { message: MessageDto }[];
      const conversations: string[] = [];
      const pings: MessageDto[] = [];
      /** What the bot's own account said (not the bot's replies). */
      const own: string[] = [];
      const env = () => ({ PARLEY_URL: stack.webUrl, PARLEY_SOCKET_URL: stack.socketUrl, PARLEY_TOKEN: token.token });
      const output = () => running?.lines.join("\n") ?? "";

      const listen = async () => {
        humanSocket = await connect(stack, { token: human.token });
        heard = collect<{ message: MessageDto }>(humanSocket, "message:created");
      };
      /** The human sends over the socket and waits for the bot's reply to it; returns the ping and the ms it took. */
      const pingOverSocket = async (conversationId: string, text = "ping") => {
        const started = performance.now();
        const ack = await emitAck<{ message: MessageDto }>(humanSocket, "message:send", { conversationId, clientMsgId: randomUUID(), text });
        assert.ok(ack.ok, JSON.stringify(ack));
        const ping = ack.data.message;
        pings.push(ping);
        await waitFor(() => heard.find((e) => e.message.replyTo === ping.id && e.message.senderId === botId), { timeoutMs: 10_000, what: `the ${bot.name} bot's pong\n${output()}` });
        return { ping, ms: Math.round(performance.now() - started) };
      };
      const repliesTo = (messageId: string) => heard.filter((e) => e.message.replyTo === messageId);

      before(async () => {
        const email = `pingbot.${bot.name}.${randomBytes(3).toString("hex")}@example.test`;
        const password = `pw-${randomBytes(8).toString("hex")}`;
        botId = (await post<{ user: { id: string } }>(null, "/api/register", { name: `Pingbot (${bot.name})`, email, password })).user.id;
        token = await post<CreatedToken>(null, "/api/tokens", { email, password, name: `${bot.name} example`, scopes: ["read", "write"] });
        await listen();
        relay = await startRelay(stack.socketPort);
      });

      after(async () => {
        humanSocket?.disconnect();
        relay?.close();
        if (running) await stop(running);
      });

      it("says what is missing, or that the token was refused, and exits non-zero; Ctrl-C stops it with 0", async () => {
        const bare = start(bot, {});
        assert.equal(await bare.exited, 2);
        assert.match(bare.lines.join("\n"), /Missing PARLEY_URL, PARLEY_SOCKET_URL, PARLEY_TOKEN/);
        const wrong = start(bot, { ...env(), PARLEY_TOKEN: `parley_pat_${"0".repeat(24)}_${"x".repeat(43)}` });
        assert.equal(await wrong.exited, 1, wrong.lines.join("\n"));
        assert.match(wrong.lines.join("\n"), /token was refused \(UNAUTHORIZED: Invalid, expired or revoked token\)/);
        const interrupted = start(bot, env());
        await waitFor(() => interrupted.lines.some((l) => l.includes("in sync with 0 conversation")), { timeoutMs: 15_000, what: `the bot in sync\n${interrupted.lines.join("\n")}` });
        interrupted.child.kill("SIGINT");
        assert.equal(await interrupted.exited, 0, interrupted.lines.join("\n"));
        assert.match(interrupted.lines.join("\n"), /SIGINT: stopping/);
      });

      it("answers a ping in a direct conversation opened while it runs, not history, and not its own", async () => {
        // History from before it starts: a ping it must leave alone.
        const direct = (await post<{ conversation: ConversationDto }>(human, "/api/conversations", { kind: "direct", userId: botId })).conversation.id;
        conversations.push(direct);
        const old = await post<{ message: MessageDto }>(human, `/api/conversations/${direct}/messages`, { clientMsgId: randomUUID(), text: "ping" });
        running = start(bot, { ...env(), PARLEY_SOCKET_URL: relay.url });
        await waitFor(() => running!.lines.some((l) => l.includes("in sync with 1 conversation")), { timeoutMs: 15_000, what: `the bot in sync\n${output()}` });

        const { ms } = await pingOverSocket(direct);
        latencies.push(`${bot.name}: ping→pong ${ms} ms (direct)`);
        // Its own account says "ping" (over HTTP, as another script of its owner might): no answer.
        const ownPing = (await post<{ message: MessageDto }>(token, `/api/conversations/${direct}/messages`, { clientMsgId: randomUUID(), text: "ping" })).message;
        own.push(ownPing.id);
        // The bot works in order: once it has answered the next ping, it has passed over these.
        const { ms: again } = await pingOverSocket(direct, "  PiNg ");
        latencies.push(`${bot.name}: ${again} ms (direct, "  PiNg ")`);
        assert.equal(repliesTo(ownPing.id).length, 0, "it answered its own ping");
        assert.equal(repliesTo(old.message.id).length, 0, "it answered a ping from before it started");
      });

      it("answers in a group it is added to while it runs, and only pings", async () => {
        const group = (await post<{ conversation: ConversationDto }>(human, "/api/conversations", { kind: "group", name: `Ping club ${bot.name}`, memberIds: friends.map((f) => f.id) })).conversation.id;
        conversations.push(group);
        await post(human, `/api/conversations/${group}/members`, { userId: botId });
        await waitFor(() => running!.lines.some((l) => l.includes(`added to "Ping club ${bot.name}"`)), { timeoutMs: 5_000, what: `the bot told it was added\n${output()}` });
        const notPing = await emitAck<{ message: MessageDto }>(humanSocket, "message:send", { conversationId: group, clientMsgId: randomUUID(), text: "not a ping" });
        assert.ok(notPing.ok);
        const { ms } = await pingOverSocket(group);
        latencies.push(`${bot.name}: ${ms} ms (group)`);
        assert.equal(repliesTo(notPing.data.message.id).length, 0, 'it answered "not a ping"');
      });

      it("sends a reply whose ack was lost again, with the same clientMsgId, and it lands once", async () => {
        relay.holdAfter('"text":"ping"', 6_500);
        const { ping } = await pingOverSocket(conversations[0]!);
        const lines = running!.lines;
        const resent = await waitFor(() => lines.findIndex((l) => l.includes("sending it again (attempt 2)")) + 1, { timeoutMs: 8_000, what: `the bot sending again\n${output()}` });
        // The second attempt's ack: the server answered with the reply it already had.
        await waitFor(() => lines.slice(resent).some((l) => l.includes(`in ${ping.conversationId} `) && l.includes("pong (seq")), { timeoutMs: 8_000, what: `the bot's late ack\n${output()}` });
        const page = await http<{ messages: MessageDto[] }>(human, `/api/conversations/${ping.conversationId}/messages?limit=50`);
        assert.equal(page.messages.filter((m) => m.replyTo === ping.id).length, 1, "the retried reply landed twice");
      });

      it("answers a ping sent while the socket server was down, once, after reconnecting by itself", async () => {
        humanSocket.disconnect();
        await stack.stopSocket();
        let missed: { message: MessageDto };
        try {
          missed = await post<{ message: MessageDto }>(human, `/api/conversations/${conversations[1]}/messages`, { clientMsgId: randomUUID(), text: "ping" });
          pings.push(missed.message);
        } finally {
          await stack.startSocket();
        }
        const restarted = performance.now();
        await listen();
        let pong: MessageDto | undefined;
        for (const deadline = Date.now() + 20_000; !pong; await sleep(100)) {
          assert.ok(Date.now() < deadline, `no pong to the missed ping\n${output()}`);
          const page = await http<{ messages: MessageDto[] }>(human, `/api/conversations/${conversations[1]}/messages?limit=20`);
          pong = page.messages.find((m) => m.replyTo === missed.message.id);
        }
        assert.equal(pong.senderId, botId);
        latencies.push(`${bot.name}: missed ping answered ${Math.round(performance.now() - restarted)} ms after the socket server started again`);
        assert.ok(running!.lines.some((l) => l.includes("(missed while away)")), output());
        // Live again too.
        await pingOverSocket(conversations[1]!);
      });

      it("every ping has exactly one pong, and nothing else does", async () => {
        const replies = new Map<string, number>();
        for (const conversationId of conversations) {
          const page = await http<{ messages: MessageDto[] }>(human, `/api/conversations/${conversationId}/messages?limit=100`);
          for (const message of page.messages.filter((m) => m.senderId === botId && !own.includes(m.id))) {
            assert.equal(message.text, "pong");
            replies.set(message.replyTo!, (replies.get(message.replyTo!) ?? 0) + 1);
          }
        }
        assert.deepEqual([...replies.keys()].sort(), pings.map((p) => p.id).sort(), "a pong to something else than the pings, or a ping unanswered");
        assert.deepEqual([...new Set(replies.values())], [1], "a ping answered twice");
      });

      it("marks what it receives as delivered", async () => {
        // A message it does not answer: its own replies would move its watermark anyway (a sender has read up to their message).
        const hello = await emitAck<{ message: MessageDto }>(humanSocket, "message:send", { conversationId: conversations[0]!, clientMsgId: randomUUID(), text: "hello, bot" });
        assert.ok(hello.ok);
        let deliveredSeq = 0;
        for (const deadline = Date.now() + 5_000; deliveredSeq < hello.data.message.seq; await sleep(100)) {
          assert.ok(Date.now() < deadline, `the bot's delivered watermark stayed at ${deliveredSeq}, below ${hello.data.message.seq}`);
          const { conversations: listed } = await http<{ conversations: ConversationDto[] }>(human, "/api/conversations");
          deliveredSeq = listed.find((c) => c.id === conversations[0])?.members.find((m) => m.id === botId)?.deliveredSeq ?? 0;
        }
      });

      it("hears that it was removed from a group", async () => {
        const response = await human.api(`/api/conversations/${conversations[1]}/members/${botId}`, { method: "DELETE" });
        assert.equal(response.status, 204, await response.text());
        await waitFor(() => running!.lines.some((l) => l.includes(`removed from conversation ${conversations[1]}`)), { timeoutMs: 5_000, what: `the bot told it was removed\n${output()}` });
      });

      it("stops with a clear message and a non-zero exit when its token is revoked", async () => {
        const revokedAt = performance.now();
        await http(token, `/api/tokens/${token.id}`, { method: "DELETE" });
        const code = await Promise.race([running!.exited, new Promise<"running">((resolve) => setTimeout(() => resolve("running"), 10_000))]);
        assert.equal(code, 1, `the bot did not exit 1 after its token was revoked\n${output()}`);
        assert.match(output(), /token was refused \(UNAUTHORIZED/);
        latencies.push(`${bot.name}: exited ${Math.round(performance.now() - revokedAt)} ms after the revocation`);
      });
    });
  }
});
