// Redis for the scale-out tests: the one `.ci/run` started (PARLEY_TEST_REDIS_URL), else one of
// our own from Debian's redis-server on a free loopback port, stopped by its own pid. Nothing is
// installed from here. Without redis-server a developer's run skips those tests, and CI fails them.
import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { freePort, startService } from "../../scripts/processes.mjs";

export type TestRedis = { url: string; stop(): Promise<void> };

export const redisMissing = ({ own = false } = {}): string | null => {
  if (process.env.PARLEY_TEST_REDIS_URL && !own) return null;
  if (spawnSync("redis-server", ["--version"]).status === 0) return null;
  const why = "redis-server is not installed (apt-get install redis-server), and PARLEY_TEST_REDIS_URL is not set";
  if (process.env.CI) throw new Error(why);
  return why;
};

/**
 * `own`: always a redis-server of our own (a test that stops Redis must not stop the shared one),
 * on `port` when given (to start it again where clients expect it). Needs redis-server installed.
 */
export async function startRedis({ own = false, port: wanted }: { own?: boolean; port?: number } = {}): Promise<TestRedis & { port: number }> {
  const given = process.env.PARLEY_TEST_REDIS_URL;
  if (given && !own) return { url: given, port: Number(new URL(given).port), stop: async () => undefined };
  const port = wanted ?? (await freePort());
  const service = startService({
    name: "redis",
    command: "redis-server",
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
    quiet: !process.env.PARLEY_TEST_VERBOSE,
  });
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (error) {
      probe.disconnect();
      if (Date.now() > deadline) {
        await service.stop();
        throw new Error(`redis-server did not come up: ${(error as Error).message}\n${service.tail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  probe.disconnect();
  return { url, port, stop: () => service.stop("SIGKILL") };
}
