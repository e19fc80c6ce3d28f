// Secrets: a production process refuses to start without strong ones, says which is wrong
// without echoing it, and no secret, password, token or session cookie ever reaches a log.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { freePort, root } from "../../scripts/processes.mjs";
import { startStack, type Stack } from "../support/stack";
import { connect, createUser, emitAck, openDirect, signIn, waitFor, type TestUser } from "../support/users";

const SECRETS = ["NEXTAUTH_SECRET", "REALTIME_TOKEN_SECRET", "INTERNAL_EVENTS_SECRET"] as const;
const START_BUDGET_MS = 5_000;

/** A complete, valid production environment; each case breaks one variable of it. */
function productionEnv(port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    // Nothing listens there: a process that got past its env check would only log and keep running.
    MONGODB_URI: "mongodb://127.0.0.1:9/parley",
    SOCKET_PORT: String(port),
    ...Object.fromEntries(SECRETS.map((name) => [name, randomBytes(32).toString("base64url")])),
  };
}

type Run = { code: number | null; output: string; ms: number; running: boolean };

/** Starts the built socket server; waits for it to exit or, if it does not, to say it listens. */
async function runSocketServer(env: Record<string, string>): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, ["dist/socket-server/index.mjs"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + START_BUDGET_MS;
  while (child.exitCode === null && !output.includes("listening") && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const running = child.exitCode === null;
  const ms = Date.now() - started;
  if (running) child.kill("SIGTERM");
  const code = await exited;
  return { code: running ? null : code, output, ms, running };
}

/** The ways a secret can be unacceptable: absent, empty, or one byte short. */
function badValues(): [string, string | undefined][] {
  return [
    ["missing", undefined],
    ["empty", ""],
    ["31 bytes", `short-${randomBytes(32).toString("hex")}`.slice(0, 31)],
  ];
}

describe("secrets at start-up", () => {
  it("the socket server starts with a complete production environment (control)", async () => {
    const run = await runSocketServer(productionEnv(Number(await freePort())));
    assert.ok(run.running, `it exited (${run.code}): ${run.output}`);
  });

  for (const name of SECRETS) {
    it(`the socket server exits non-zero at once, naming ${name}, when it is missing, empty or short`, async () => {
      for (const [label, value] of badValues()) {
        const env = productionEnv(Number(await freePort()));
        if (value === undefined) delete env[name];
        else env[name] = value;
        const run = await runSocketServer(env);
        assert.equal(run.running, false, `${label}: still running after ${run.ms} ms`);
        assert.notEqual(run.code, 0, `${label}: exit code 0`);
        assert.ok(run.ms < START_BUDGET_MS, `${label}: took ${run.ms} ms`);
        assert.match(run.output, new RegExp(name), `${label}: the message does not name ${name}: ${run.output}`);
        if (value) assert.ok(!run.output.includes(value), `${label}: the value was printed`);
        // The other, valid secrets must not be printed either.
        for (const other of SECRETS) if (env[other]) assert.ok(!run.output.includes(env[other]), `${label}: ${other} was printed`);
      }
    });
  }

  it("the web app's env validation (lib/env.js) refuses the same values, naming the variable only", async () => {
    const saved = { ...process.env };
    try {
      const base = productionEnv(3001);
      Object.assign(process.env, base);
      // isProduction is read when the module loads, so NODE_ENV is set first.
      const { checkBuildEnv, EnvError, getServerEnv } = await import("../../lib/env");
      for (const name of SECRETS) {
        for (const [label, value] of badValues()) {
          Object.assign(process.env, base);
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
          assert.throws(getServerEnv, (error: Error) => {
            assert.ok(error instanceof EnvError, `${name} ${label}: ${error.name}`);
            assert.match(error.message, new RegExp(name));
            if (value) assert.ok(!error.message.includes(value), `${name} ${label}: the value is in the message`);
            return true;
          });
          // The build tolerates a missing secret (it is a run-time value) but not a malformed one.
          if (value !== undefined) assert.throws(checkBuildEnv, new RegExp(name));
          else assert.doesNotThrow(checkBuildEnv);
        }
      }
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

describe("logs", () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack({ keepOutput: true });
  });

  after(async () => {
    await stack?.stop();
  });

  it("a session's output holds no password, realtime or access token, session cookie or secret", async () => {
    // Sign up and sign in (createUser does both, and fetches a realtime token), twice.
    const alice = await createUser(stack, "Alice Logs");
    const bob = await createUser(stack, "Bob Logs");
    const again = await signIn(stack, alice);
    const conversationId = await openDirect(alice, bob);

    const socket = await connect(stack, { token: again.token, origin: stack.webUrl });
    try {
      const ack = await emitAck(socket, "message:send", { conversationId, clientMsgId: crypto.randomUUID(), text: "over the socket" });
      assert.ok(ack.ok, JSON.stringify(ack));
    } finally {
      socket.disconnect();
    }
    const posted = await bob.api(`/api/conversations/${conversationId}/messages`, {
      method: "POST",
      body: JSON.stringify({ conversationId, clientMsgId: crypto.randomUUID(), text: "over HTTP" }),
    });
    assert.ok(posted.ok, `POST messages: ${posted.status}`);

    // Failures are what tend to get logged with their inputs.
    const wrongPassword = `wrong-${randomBytes(8).toString("hex")}`;
    await assert.rejects(signIn(stack, { ...alice, password: wrongPassword }), /sign-in failed/);
    const forged = `${again.token.slice(0, -4)}AAAA`;
    await assert.rejects(connect(stack, { token: forged }), (error: Error & { data?: { code: string } }) => error.data?.code === "UNAUTHORIZED");

    // A personal access token: made with the password, used on both transports, then a forged one.
    const made = await fetch(`${stack.webUrl}/api/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: alice.email, password: alice.password, name: "logs bot" }),
    });
    assert.equal(made.status, 201);
    const { token: pat } = (await made.json()) as { token: string };
    assert.equal((await fetch(`${stack.webUrl}/api/conversations`, { headers: { authorization: `Bearer ${pat}` } })).status, 200);
    const patSocket = await connect(stack, { token: pat });
    patSocket.disconnect();
    const forgedPat = `${pat.slice(0, -4)}AAAA`;
    assert.equal((await fetch(`${stack.webUrl}/api/conversations`, { headers: { authorization: `Bearer ${forgedPat}` } })).status, 401);
    await assert.rejects(connect(stack, { token: forgedPat }));
    const internal = await fetch(`${stack.socketUrl}/internal/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-parley-internal-secret": `${(stack.env.INTERNAL_EVENTS_SECRET ?? "").slice(0, -1)}x` },
      body: "{}",
    });
    await internal.body?.cancel();
    assert.equal(internal.status, 401);

    // Let anything logged after the last response arrive.
    await waitFor(() => stack.output().socket.includes("listening") || undefined, { what: "the socket server's output" });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const forbidden = forbiddenStrings({ users: [alice, bob, again], extra: [wrongPassword, forged, pat, forgedPat], env: stack.env });
    const { socket: socketLog, web: webLog } = stack.output();
    assert.ok(webLog.length > 0 && socketLog.length > 0, "nothing was captured: the check below would prove nothing");
    for (const [source, log] of [["socket", socketLog], ["web", webLog]] as const) {
      // A chunk boundary can split a line in two; joined back, a split secret is still found.
      const joined = log.replaceAll("\n", "");
      for (const [what, value] of forbidden) {
        assert.ok(!log.includes(value) && !joined.includes(value), `the ${source} output contains ${what}`);
      }
    }
    console.log(`[secrets] ${forbidden.length} values checked against ${socketLog.split("\n").length} socket and ${webLog.split("\n").length} web lines`);
  });
});

/** Every value that must never be logged, labelled (the label is printed, the value is not). */
function forbiddenStrings({ users, extra, env }: { users: TestUser[]; extra: string[]; env: Record<string, string> }): [string, string][] {
  const found: [string, string][] = [];
  for (const user of users) {
    found.push([`${user.name}'s password`, user.password]);
    found.push([`${user.name}'s realtime token`, user.token]);
    // The signature alone would let nobody forge, but its presence means the token was logged.
    found.push([`${user.name}'s realtime token signature`, user.token.split(".")[2]!]);
    for (const pair of user.cookie.split("; ")) {
      const [name, value] = pair.split("=") as [string, string | undefined];
      if (!value || !/session-token|csrf/.test(name)) continue;
      found.push([`${user.name}'s ${name} cookie`, value]);
      if (decodeURIComponent(value) !== value) found.push([`${user.name}'s ${name} cookie, decoded`, decodeURIComponent(value)]);
    }
  }
  extra.forEach((value, index) => found.push([`a failed attempt's input #${index + 1}`, value]));
  for (const name of SECRETS) found.push([name, env[name]!]);
  return found;
}
