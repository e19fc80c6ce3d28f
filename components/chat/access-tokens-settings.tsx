"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { createToken, listTokens, revokeToken } from "@/lib/client/access-tokens";
import { useTask } from "./use-task";
import { TOKEN_NAME_MAX, type AccessTokenDto, type CreatedToken, type TokenScope } from "@/lib/schemas/token";

const secondary = "rounded-lg border border-line px-3 py-1.5 font-medium hover:bg-hover disabled:opacity-60";
const primary = "rounded-lg bg-accent px-3 py-1.5 font-medium text-accent-fg disabled:opacity-60";
const input = "w-full rounded-lg border border-line bg-transparent px-3 py-1.5 focus:outline-2 focus:outline-accent";

const EXPIRIES: { label: string; days: number | null }[] = [
  { label: "7 days", days: 7 },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
  { label: "No expiry", days: null },
];

/**
 * Personal access tokens, for bots and scripts that use the API as this user: made here (the
 * secret is shown once), listed with what they may do and when they were last used, revoked.
 */
export function AccessTokenSettings() {
  const [tokens, setTokens] = useState<AccessTokenDto[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const { busy, error, setError, run } = useTask();

  useEffect(() => {
    let live = true;
    listTokens().then(
      (list) => live && setTokens(list),
      (failure: Error) => live && setError(failure.message),
    );
    return () => {
      live = false;
    };
  }, [setError]);

  const revoke = (token: AccessTokenDto) =>
    run(async () => {
      await revokeToken(token.id);
      setTokens((list) => list?.filter((t) => t.id !== token.id) ?? null);
      setConfirming(null);
      if (created?.id === token.id) setCreated(null);
    });

  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="access-tokens">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="min-w-0 flex-1">
          Personal access tokens
          <span className="block text-xs text-muted">
            Let a bot or script use Parley as you, over HTTP and the socket.{" "}
            <a href="/docs/api" className="text-link underline underline-offset-2">
              API reference
            </a>
          </span>
        </p>
        {creating ? null : (
          <button type="button" className={secondary} disabled={busy} onClick={() => setCreating(true)}>
            New token
          </button>
        )}
      </div>

      {creating ? (
        <NewTokenForm
          busy={busy}
          onCancel={() => setCreating(false)}
          onCreate={(input) =>
            run(async () => {
              const made = await createToken(input);
              setCreated(made);
              setCreating(false);
              setTokens((list) => [withoutSecret(made), ...(list ?? [])]);
            })
          }
        />
      ) : null}

      {created ? <ShownOnce token={created} onDone={() => setCreated(null)} /> : null}

      <p role="status" className={error ? "text-danger" : "sr-only"}>
        {busy ? "Working…" : error}
      </p>

      {tokens === null ? (
        error ? null : <p className="text-muted">Loading tokens…</p>
      ) : tokens.length === 0 ? (
        creating ? null : <p className="text-muted">No tokens yet.</p>
      ) : (
        <ul aria-label="Personal access tokens" className="flex flex-col divide-y divide-line rounded-xl border border-line">
          {tokens.map((token) => (
            <li key={token.id} className="flex items-center gap-3 px-3 py-2">
              <span className="min-w-0 flex-1">
                <span className="flex flex-wrap items-center gap-1.5">
                  <span className="truncate font-medium">{token.name}</span>
                  {token.scopes.map((scope) => (
                    <span key={scope} className="rounded-full bg-selected px-2 py-0.5 text-xs">
                      {scope}
                    </span>
                  ))}
                  {isExpired(token) ? <span className="rounded-full bg-danger/15 px-2 py-0.5 text-xs text-danger">expired</span> : null}
                </span>
                <span className="block text-xs text-muted">
                  <span className="font-mono">…{token.hint}</span> · {tokenDates(token)}
                </span>
              </span>
              {confirming === token.id ? (
                <span className="flex shrink-0 gap-1">
                  <button type="button" className="rounded-lg px-2 py-1 font-medium text-danger hover:bg-hover disabled:opacity-60" disabled={busy} onClick={() => void revoke(token)}>
                    Revoke
                  </button>
                  <button type="button" className="rounded-lg px-2 py-1 text-muted hover:bg-hover" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="shrink-0 rounded-lg px-2 py-1 text-muted hover:bg-hover hover:text-fg disabled:opacity-60"
                  disabled={busy}
                  onClick={() => setConfirming(token.id)}
                  aria-label={`Revoke ${token.name}`}
                >
                  Revoke…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NewTokenForm({ busy, onCreate, onCancel }: { busy: boolean; onCreate: (input: { name: string; scopes: TokenScope[]; expiresInDays: number | null }) => void; onCancel: () => void }) {
  const id = useId();
  const [name, setName] = useState("");
  const [write, setWrite] = useState(true);
  const [expiry, setExpiry] = useState("30");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCreate({ name, scopes: write ? ["read", "write"] : ["read"], expiresInDays: expiry === "never" ? null : Number(expiry) });
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3 rounded-xl border border-line p-3" aria-label="New personal access token">
      <label className="flex flex-col gap-1" htmlFor={`${id}-name`}>
        <span className="font-medium">Name</span>
        <input id={`${id}-name`} className={input} value={name} onChange={(e) => setName(e.target.value)} maxLength={TOKEN_NAME_MAX} required placeholder="e.g. Deploy bot" autoFocus />
      </label>
      <fieldset className="flex flex-col gap-1.5">
        <legend className="mb-1 font-medium">Access</legend>
        <label className="flex items-start gap-2">
          <input type="radio" name={`${id}-scope`} checked={!write} onChange={() => setWrite(false)} className="mt-1 accent-[var(--color-accent)]" />
          <span>
            Read
            <span className="block text-xs text-muted">Conversations, history, search and live events</span>
          </span>
        </label>
        <label className="flex items-start gap-2">
          <input type="radio" name={`${id}-scope`} checked={write} onChange={() => setWrite(true)} className="mt-1 accent-[var(--color-accent)]" />
          <span>
            Read and write
            <span className="block text-xs text-muted">Also send, edit, react, join rooms and call</span>
          </span>
        </label>
      </fieldset>
      <label className="flex flex-col gap-1" htmlFor={`${id}-expiry`}>
        <span className="font-medium">Expires after</span>
        <select id={`${id}-expiry`} className={input} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRIES.map(({ label, days }) => (
            <option key={label} value={days === null ? "never" : String(days)} className="bg-surface">
              {label}
            </option>
          ))}
        </select>
      </label>
      <div className="flex justify-end gap-2">
        <button type="button" className={secondary} onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={primary} disabled={busy || name.trim() === ""}>
          Create token
        </button>
      </div>
    </form>
  );
}

/** The new token's secret, which is never shown again: copy it now. */
function ShownOnce({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div role="alert" className="flex flex-col gap-2 rounded-xl border border-accent/40 bg-selected p-3" data-testid="new-token">
      <p className="font-medium">Copy “{token.name}” now: it will not be shown again.</p>
      <div className="flex gap-2">
        <input readOnly value={token.token} aria-label="New token" className="w-full rounded-lg border border-line bg-surface px-3 py-1.5 font-mono text-xs focus:outline-2 focus:outline-accent" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className={primary} onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <button type="button" className="self-end text-xs text-muted hover:text-fg" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

function withoutSecret(created: CreatedToken): AccessTokenDto {
  const { id, name, scopes, hint, createdAt, expiresAt, lastUsedAt } = created;
  return { id, name, scopes, hint, createdAt, expiresAt, lastUsedAt };
}

function isExpired(token: AccessTokenDto): boolean {
  return token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now();
}

const day = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

function tokenDates(token: AccessTokenDto): string {
  const expiry = token.expiresAt === null ? "never expires" : `${isExpired(token) ? "expired" : "expires"} ${day.format(new Date(token.expiresAt))}`;
  const used = token.lastUsedAt === null ? "never used" : `last used ${day.format(new Date(token.lastUsedAt))}`;
  return `${expiry} · ${used}`;
}
