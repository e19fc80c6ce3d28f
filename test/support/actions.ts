// Server actions called the way the browser calls them: a POST to a page with the action's id,
// the arguments as JSON, and the result read back out of the React Server Components stream.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Ack } from "../../lib/realtime/events";
import { root } from "../../scripts/processes.mjs";
import type { Stack } from "./stack";
import type { TestUser } from "./users";

const ids = new Map<string, string>();

/** The id Next.js gave a server action, read from the built client bundle the browser would load. */
export function serverActionId(name: string): string {
  const known = ids.get(name);
  if (known) return known;
  const dir = path.join(root, ".next/static/chunks");
  const pattern = new RegExp(`"([0-9a-f]{40,})",[^"]{0,80}"${name}"`);
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith(".js")) continue;
    const match = pattern.exec(readFileSync(path.join(dir, file), "utf8"));
    if (match) {
      ids.set(name, match[1]!);
      return match[1]!;
    }
  }
  throw new Error(`server action ${name} not found in the client bundle`);
}

/**
 * Calls a server action as `user` from the site's own origin and returns what it returned (our
 * actions all return an Ack). The RSC stream carries it as one of its `<id>:<json>` rows.
 */
export async function callAction<T>(stack: Stack, user: Pick<TestUser, "cookie">, name: string, args: unknown[]): Promise<Ack<T>> {
  const response = await fetch(`${stack.webUrl}/chat`, {
    method: "POST",
    headers: {
      cookie: user.cookie,
      "next-action": serverActionId(name),
      "content-type": "text/plain;charset=UTF-8",
      origin: stack.webUrl,
      accept: "text/x-component",
    },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`server action ${name}: HTTP ${response.status}: ${text.slice(0, 200)}`);
  for (const line of text.split("\n")) {
    const json = line.slice(line.indexOf(":") + 1);
    if (!json.startsWith("{")) continue;
    const value = JSON.parse(json) as { ok?: unknown };
    if (typeof value.ok === "boolean") return value as Ack<T>;
  }
  throw new Error(`server action ${name}: no result in ${text.slice(0, 200)}`);
}
