// The Python example bot's environment: a virtual environment under .data/ with the packages
// pinned in examples/python/requirements.txt, from PyPI. Made once per version of that file (its
// hash names the directory), in a temporary directory renamed into place, as the embedded
// database's is (scripts/embedded-db/launch.mjs); environments of older versions are removed.
// Plain ESM with node built-ins only, for the test (test/integration/examples.test.ts) and CI.
//
// CLI (.ci/run): node scripts/examples-python.mjs   prints the environment's python

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultRoot = path.resolve(here, "..");
const PREFIX = "examples-python-";

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

const venvPython = (dir) => (process.platform === "win32" ? path.join(dir, "Scripts", "python.exe") : path.join(dir, "bin", "python"));
const lastLines = (text, count = 6) => text.trim().split("\n").slice(-count).join(" | ");

/**
 * Makes sure .data/examples-python-<hash>/ holds the example bot's packages.
 * @returns {Promise<string>} the environment's python
 */
export async function ensureExamplesPython({ root = defaultRoot } = {}) {
  const requirements = path.join(root, "examples", "python", "requirements.txt");
  const hash = createHash("sha256").update(readFileSync(requirements)).digest("hex").slice(0, 12);
  const dataRoot = path.join(root, ".data");
  const dir = path.join(dataRoot, `${PREFIX}${hash}`);
  const python = venvPython(dir);
  if (existsSync(python)) return python;

  const system = process.env.PARLEY_PYTHON ?? "python3";
  await mkdir(dataRoot, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  process.stderr.write(`examples: installing the Python bot's packages into ${path.relative(root, dir)} (once)…\n`);
  const started = Date.now();
  try {
    const made = await run(system, ["-m", "venv", tmp]);
    if (made.code !== 0) throw new Error(`could not create a virtual environment with ${system} (Debian/Ubuntu: apt-get install python3-venv): ${lastLines(made.output)}`);
    const pip = await run(venvPython(tmp), ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet", "-r", requirements]);
    if (pip.code !== 0) throw new Error(`pip could not install ${path.relative(root, requirements)} (is PyPI reachable?): ${lastLines(pip.output)}`);
    try {
      await rename(tmp, dir);
    } catch (error) {
      // Another process finished first: use its environment.
      if (!existsSync(python)) throw error;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  for (const name of readdirSync(dataRoot)) {
    if (name.startsWith(PREFIX) && path.join(dataRoot, name) !== dir && !name.includes(".tmp-")) {
      await rm(path.join(dataRoot, name), { recursive: true, force: true });
    }
  }
  process.stderr.write(`examples: installed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return python;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  ensureExamplesPython().then(
    (python) => console.log(python),
    (error) => {
      console.error(`examples: ${error.message}`);
      process.exit(1);
    },
  );
}
