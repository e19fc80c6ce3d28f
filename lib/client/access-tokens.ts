// Personal access tokens as Settings manages them: list, create (the secret comes back once),
// revoke. Plain fetches with the session cookie; no React.
import type { AccessTokenDto, CreatedToken, TokenScope } from "../schemas/token";
import { readJson } from "./read-json";

export async function listTokens(): Promise<AccessTokenDto[]> {
  return (await readJson<{ tokens: AccessTokenDto[] }>(await fetch("/api/tokens", { cache: "no-store" }))).tokens;
}

export async function createToken(input: { name: string; scopes: TokenScope[]; expiresInDays: number | null }): Promise<CreatedToken> {
  return readJson<CreatedToken>(await fetch("/api/tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) }));
}

export async function revokeToken(id: string): Promise<void> {
  await readJson(await fetch(`/api/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }));
}
