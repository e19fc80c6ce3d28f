// Runs once when the Next.js server starts: a bad environment stops it with a clear message,
// and indexes are applied before the first request needs them.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getServerEnv } = await import("./lib/env");
  getServerEnv();
  const { getDb } = await import("./lib/db/client");
  await getDb().catch((error: Error) => console.error(`[web] database not reachable yet: ${error.message}`));
}
