import { runRoute } from "@/lib/auth/adapters";

/**
 * Who the credential speaks for, and what it may do: `{ id, name, scopes, tokenId }` (`tokenId`:
 * the personal access token in use, null for a browser session). A bot's first call: its own id
 * tells its messages from everyone else's.
 */
export async function GET() {
  return runRoute("me", async (user) =>
    Response.json({ id: user.id, name: user.name, scopes: user.scopes, tokenId: user.tokenId ?? null }, { headers: { "cache-control": "no-store" } }),
  );
}
