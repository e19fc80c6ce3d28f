// `npm test`: every check, in the order a failure is cheapest to find. The integration and
// end-to-end suites run against the production build, so it is built first.
import { spawnSync } from "node:child_process";
import { root } from "./processes.mjs";

const steps = [
  ["typecheck", ["run", "typecheck"]],
  ["lint", ["run", "lint"]],
  ["build", ["run", "build"]],
  ["unit", ["run", "test:unit"]],
  ["integration", ["run", "test:integration"]],
  ["e2e", ["run", "test:e2e"]],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, args] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const { status } = spawnSync("npm", args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: status === 0, seconds });
  if (status !== 0) break;
}

console.log("\nSummary");
for (const { name, ok, seconds } of results) console.log(`  ${ok ? "✓" : "✗"} ${name} (${seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
process.exit(failed === 0 && results.length > 0 ? 0 : 1);
