// AppError and the mapping of anything thrown to the ack / HTTP error shape.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { MongoNetworkTimeoutError, MongoServerSelectionError } from "mongodb";
import { z } from "zod";
import { AppError, errorResponse, notFound, toAppError } from "../../lib/errors";

describe("AppError", () => {
  it("maps each code to its HTTP status and default retryability", () => {
    const expected = {
      VALIDATION: [400, false],
      UNAUTHORIZED: [401, false],
      FORBIDDEN: [403, false],
      FORBIDDEN_ORIGIN: [403, false],
      NOT_FOUND: [404, false],
      CONFLICT: [409, false],
      RATE_LIMITED: [429, true],
      INTERNAL: [500, true],
      UNAVAILABLE: [503, true],
    } as const;
    for (const [code, [status, retryable]] of Object.entries(expected)) {
      const error = new AppError(code as keyof typeof expected, "m");
      assert.equal(error.status, status, code);
      assert.equal(error.retryable, retryable, code);
      assert.deepEqual(error.toBody(), { code, message: "m", retryable });
    }
  });

  it("lets a caller override retryability", () => {
    assert.equal(new AppError("VALIDATION", "m", { retryable: true }).retryable, true);
  });

  it("says the same NOT_FOUND for anything missing or forbidden to see", () => {
    assert.deepEqual(notFound().toBody(), { code: "NOT_FOUND", message: "Conversation not found", retryable: false });
    assert.equal(notFound("Message").message, "Message not found");
  });
});

describe("AppError.fromZod", () => {
  const schema = z.object({ text: z.string().min(1, { error: "Message cannot be empty" }), meta: z.object({ seq: z.number() }) });

  it("turns the first issue into a VALIDATION error naming its field", () => {
    const result = schema.safeParse({ text: "", meta: { seq: 1 } });
    assert.equal(result.success, false);
    const error = AppError.fromZod(result.error!);
    assert.equal(error.code, "VALIDATION");
    assert.equal(error.retryable, false);
    assert.equal(error.status, 400);
    assert.equal(error.message, "text: Message cannot be empty");
  });

  it("joins nested paths with dots", () => {
    const result = schema.safeParse({ text: "hi", meta: { seq: "x" } });
    assert.match(AppError.fromZod(result.error!).message, /^meta\.seq: /);
  });

  it("omits the path prefix for a problem with the whole value", () => {
    const message = AppError.fromZod(schema.safeParse("hello").error!).message;
    assert.match(message, /expected object/);
    assert.doesNotMatch(message, /^: /);
  });

  it("gives each wrong field its first message, for a form to show beside every field at once", () => {
    const form = z.object({
      name: z.string().min(1, { error: "Enter your name" }).max(3, { error: "too long" }),
      password: z.string().min(8, { error: "Password must be at least 8 characters" }),
      meta: z.object({ seq: z.number({ error: "seq must be a number" }) }),
      email: z.string(),
    });
    const error = AppError.fromZod(form.safeParse({ name: "", password: "short", meta: { seq: "x" }, email: "a@b.c" }).error!);
    assert.deepEqual(error.fieldErrors, { name: "Enter your name", password: "Password must be at least 8 characters", meta: "seq must be a number" });
    assert.deepEqual(AppError.fromZod(schema.safeParse("hello").error!).fieldErrors, {});
    assert.deepEqual(new AppError("NOT_FOUND", "gone").fieldErrors, {});
  });
});

describe("toAppError", () => {
  let logged: ReturnType<typeof mock.method>;
  beforeEach(() => {
    // Unknown errors are logged once with their cause; keep the test output clean, but check it.
    logged = mock.method(console, "error", () => undefined);
  });
  afterEach(() => mock.restoreAll());

  it("returns an AppError unchanged", () => {
    const original = new AppError("FORBIDDEN", "no");
    assert.equal(toAppError(original), original);
    assert.equal(logged.mock.callCount(), 0);
  });

  it("recognises an AppError made by another copy of this module (Next.js bundles one per route)", async () => {
    // A second instance of our own module, on purpose; the specifier is not input.
    // eslint-disable-next-line no-unsanitized/method
    const copy = (await import(`../../lib/errors.ts?copy=${Date.now()}`)) as typeof import("../../lib/errors");
    assert.notEqual(copy.AppError, AppError, "a separate module instance");
    const foreign = new copy.AppError("UNAVAILABLE", "down");
    assert.ok(foreign instanceof AppError);
    assert.equal(toAppError(foreign), foreign);
    assert.equal(logged.mock.callCount(), 0);
    assert.equal(new Error("plain") instanceof AppError, false);
    assert.equal(Object.assign(new Error("look-alike"), { name: "AppError", code: "UNAVAILABLE" }) instanceof AppError, false);
  });

  it("maps a MongoServerSelectionError to a retryable UNAVAILABLE with a generic message", () => {
    const cause = new MongoServerSelectionError("connect ECONNREFUSED 127.0.0.1:27017", {} as never);
    const error = toAppError(cause, "test");
    assert.equal(error.code, "UNAVAILABLE");
    assert.equal(error.retryable, true);
    assert.equal(error.status, 503);
    assert.equal(error.cause, cause);
    assert.doesNotMatch(error.message, /ECONNREFUSED|27017/, "driver details must not reach the user");
    assert.equal(logged.mock.callCount(), 1);
  });

  it("recognises driver errors by name, whatever class they come from", () => {
    for (const name of ["MongoServerSelectionError", "MongoNetworkError", "MongoNetworkTimeoutError", "MongoNotConnectedError", "MongoPoolClearedError"]) {
      const error = Object.assign(new Error("down"), { name });
      assert.equal(toAppError(error).code, "UNAVAILABLE", name);
    }
  });

  it("knows the names the driver's pool errors report (those classes are not exported)", () => {
    // Seen from mongodb 7.9 against a stalled database: the pool's errors are named Mongo…,
    // unlike their class names (PoolClearedError, WaitQueueTimeoutError).
    for (const name of ["MongoPoolClearedError", "PoolClearedOnNetworkError", "MongoWaitQueueTimeoutError"]) {
      const error = Object.assign(new Error("down"), { name });
      assert.equal(toAppError(error).code, "UNAVAILABLE", name);
    }
    assert.equal(toAppError(new MongoNetworkTimeoutError("connection 2 to 127.0.0.1:27017 timed out")).code, "UNAVAILABLE");
  });

  it("logs an outage once per interval, with the count of errors it did not log", () => {
    mock.timers.enable({ apis: ["Date"], now: Date.now() + 60_000 });
    try {
      const down = () => Object.assign(new Error("connection 3 to 127.0.0.1:27017 timed out"), { name: "MongoNetworkTimeoutError" });
      const before = logged.mock.callCount();
      for (let i = 0; i < 5; i += 1) assert.equal(toAppError(down(), "test").code, "UNAVAILABLE");
      mock.timers.tick(10_001);
      toAppError(down(), "test");
      const lines = logged.mock.calls.slice(before).map((call) => String(call.arguments[0])).filter((line) => line.includes("database unavailable"));
      assert.equal(lines.length, 2, lines.join("\n"));
      assert.match(lines[1]!, /4 more since the last report/);
    } finally {
      mock.timers.reset();
    }
  });

  it("maps anything else to a retryable INTERNAL that hides the details", () => {
    for (const thrown of [new Error("secret stack detail"), new TypeError("x is undefined"), "a string", null, { code: 11000 }]) {
      const error = toAppError(thrown);
      assert.equal(error.code, "INTERNAL");
      assert.equal(error.retryable, true);
      assert.equal(error.message, "Something went wrong");
    }
    assert.equal(logged.mock.callCount(), 5);
  });

  it("renders an error as a JSON Response with the matching status", async () => {
    const response = errorResponse(new AppError("NOT_FOUND", "Conversation not found"));
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: { code: "NOT_FOUND", message: "Conversation not found", retryable: false } });
    const unavailable = errorResponse(Object.assign(new Error("x"), { name: "MongoServerSelectionError" }));
    assert.equal(unavailable.status, 503);
    assert.equal(((await unavailable.json()) as { error: { code: string } }).error.code, "UNAVAILABLE");
  });
});
