// First-load JavaScript of one page (default /chat), gzipped, from the build in .next/.
// Next 16 no longer prints "First Load JS"; this counts what a browser fetches before hydration:
//   - the root main files every app-router page loads (.next/build-manifest.json rootMainFiles:
//     React, the router, the Turbopack runtime), and
//   - the route's entry chunks: entryJSFiles of every segment (root layout, page) in the page's
//     client reference manifest, i.e. the client components the server render references.
// Polyfill files are left out: they load with `nomodule`, which current browsers skip. Chunks
// loaded later by dynamic import() are left out too. Next writes the same list, uncompressed, to
// .next/diagnostics/route-bundle-stats.json; it is compared when present.
//
// Each chunk is gzipped with node:zlib at level 9; kB are 1,000 bytes. Exits 1 over budget.
// Usage: node scripts/bundle-size.mjs [--route=/chat] [--budget-kb=152]   (or BUNDLE_BUDGET_KB=152)
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { root } from "./processes.mjs";

// The budget for /chat is 152 kB. Next 16 and React 19 alone take about 135 kB of it, so the page
// loads its engine (with socket.io-client) after the first render and keeps zod and next-auth's
// client out of it. It was 150 kB until the chat's error screen (app/(chat)/chat/error.tsx) and
// the patient chunk loader (lib/client/chunks.ts) came, 1.2 kB between them: both are for when
// later chunks cannot be fetched, so neither can be one of them. BUNDLE_BUDGET_KB or --budget-kb overrides it (the flag wins).
const { values } = parseArgs({
  options: { route: { type: "string", default: "/chat" }, "budget-kb": { type: "string", default: process.env.BUNDLE_BUDGET_KB ?? "152" } },
});
const route = values.route;
const budgetBytes = Number(values["budget-kb"]) * 1000;
const dist = path.join(root, ".next");

function fail(message) {
  console.error(`bundle-size: ${message}`);
  process.exit(2);
}

if (!(budgetBytes > 0)) fail(`--budget-kb must be a positive number of kB, not ${values["budget-kb"]}`);

const readJson = (file) => JSON.parse(readFileSync(path.join(dist, file), "utf8"));

/** "/(chat)/chat/page" for "/chat": route groups and the trailing /page are not in the URL. */
function appPathOf(route) {
  const appPaths = Object.keys(readJson("server/app-paths-manifest.json")).filter((p) => p.endsWith("/page"));
  const toRoute = (p) => p.replace(/\/page$/, "").replace(/\/\([^/]+\)/g, "") || "/";
  const found = appPaths.find((p) => toRoute(p) === route);
  if (!found) fail(`no app page for ${route} in server/app-paths-manifest.json`);
  return found;
}

/** The page's client reference manifest is a script that assigns globalThis.__RSC_MANIFEST; run it in an empty context. */
function clientReferenceManifest(appPath) {
  const file = path.join(dist, "server/app", `${appPath}_client-reference-manifest.js`);
  if (!existsSync(file)) fail(`${path.relative(root, file)} is missing: run \`next build\` first`);
  const context = vm.createContext({});
  vm.runInContext(readFileSync(file, "utf8"), context, { filename: file });
  const manifest = context.__RSC_MANIFEST?.[appPath];
  if (!manifest?.entryJSFiles) fail(`no entryJSFiles for ${appPath} in ${path.relative(root, file)}`);
  return manifest;
}

/** A short account of what a chunk holds: our client modules in it, else the framework packages. */
function describe(file, manifest, rootMainFiles) {
  if (rootMainFiles.includes(file)) return "root main (framework)";
  const modules = Object.entries(manifest.clientModules ?? {})
    .filter(([, entry]) => entry.chunks?.some((chunk) => chunk.endsWith(`/${path.basename(file)}`)))
    .map(([name]) => name.replace(/^\[project\]\//, "").replace(/ <.*$/, ""));
  // A client module lists every chunk it needs, so Next's own components mark the chunks they share.
  if (modules.some((name) => name.startsWith("node_modules/next/"))) return "Next's client components (layout router, error boundaries)";
  const own = [...new Set(modules.filter((name) => !name.startsWith("node_modules/")))];
  return own.length > 0 ? own.join(", ") : "shared by the route's client modules";
}

const started = performance.now();
const buildManifest = readJson("build-manifest.json");
const rootMainFiles = buildManifest.rootMainFiles ?? [];
const appPath = appPathOf(route);
const manifest = clientReferenceManifest(appPath);
const entryFiles = Object.values(manifest.entryJSFiles).flat();
const chunks = [...new Set([...rootMainFiles, ...entryFiles])].filter((file) => file.endsWith(".js"));

const rows = chunks.map((file) => {
  const bytes = readFileSync(path.join(dist, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, what: describe(file, manifest, rootMainFiles) };
});
rows.sort((a, b) => b.gzip - a.gzip);
const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip }), { raw: 0, gzip: 0 });
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

console.log(`First-load JS of ${route} (${appPath}): ${kB(total.gzip)} gzipped (level 9), ${kB(total.raw)} raw, ${rows.length} chunks; budget ${kB(budgetBytes)}`);
for (const row of rows.slice(0, 8)) console.log(`  ${kB(row.gzip).padStart(9)}  ${kB(row.raw).padStart(9)} raw  ${row.file}  ${row.what}`);

// Next's own list of the route's first-load chunks (16.x diagnostics): a disagreement means one of us misreads the build.
const statsFile = path.join(dist, "diagnostics/route-bundle-stats.json");
if (existsSync(statsFile)) {
  const stats = JSON.parse(readFileSync(statsFile, "utf8")).find?.((row) => row.route === route);
  const theirs = new Set((stats?.firstLoadChunkPaths ?? []).map((file) => path.relative(dist, path.join(root, file))));
  const differ = stats && (theirs.size !== chunks.length || chunks.some((file) => !theirs.has(file)));
  if (differ) console.warn(`  note: Next's diagnostics/route-bundle-stats.json lists other chunks for ${route}: ${[...theirs].join(", ")}`);
}
console.log(`  (${Math.round(performance.now() - started)} ms)`);

if (total.gzip > budgetBytes) {
  console.error(`bundle-size: ${route} first-load JS ${kB(total.gzip)} gzipped is over the ${kB(budgetBytes)} budget`);
  process.exit(1);
}
