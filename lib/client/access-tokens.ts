// Personal access tokens as Settings manages them: list, create (the secret comes back once),
// revoke. Plain fetches with the session cookie; no React.
import type { AccessTokenDto, CreatedToken, TokenScope } from "../schemas/token";

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `The server answered ${response.status}`);
  return body;
}

export async function listTokens(): Promise<AccessTokenDto[]> {
  return (await json<{ tokens: AccessTokenDto[] }>(await fetch("/api/tokens", { cache: "no-store" }))).tokens;
}

export async function createToken(input: { name: string; scopes: TokenScope[]; expiresInDays: number | null }): Promise<CreatedToken> {
  return json<CreatedToken>(await fetch("/api/tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) }));
}

export async function revokeToken(id: string): Promise<void> {
  await json(await fetch(`/api/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }));
}
