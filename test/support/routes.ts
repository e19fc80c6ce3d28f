// Every route handler the app has, read from app/api/**/route.ts: what test suites that must
// cover every route (the authorization matrix, the access-token checks) walk.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { root } from "../../scripts/processes.mjs";

/** "METHOD /api/path/:param" for each exported method of each route file, next-auth's left out. */
export function routeEntries(): string[] {
  const entries: string[] = [];
  const api = path.join(root, "app/api");
  for (const file of readdirSync(api, { recursive: true }) as string[]) {
    if (!file.endsWith("route.ts") || file.startsWith("auth/")) continue;
    const route = `/api/${path.dirname(file)}`.replace(/\[(\w+)\]/g, ":$1").replace(/\/\.$/, "");
    for (const [, method] of readFileSync(path.join(api, file), "utf8").matchAll(/export (?:async )?(?:function|const) (GET|POST|PATCH|PUT|DELETE)\b/g)) {
      entries.push(`${method} ${route}`);
    }
  }
  return entries;
}
