// The embedded database's launcher (scripts/embedded-db/): what a developer without the right
// Python is told, that a server which dies is reported as such, and that the server never
// outlives the process that started it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import { ensureEmbeddedDb, startEmbeddedDb } from "../../scripts/embedded-db/launch.mjs";
import { root } from "../../scripts/processes.mjs";

const scratch = mkdtempSync(path.join(tmpdir(), "parley-test-embedded-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in for python that reports `version` and, unless `venv`, fails to import venv/ensurepip as Debian's python3 without python3-venv does. */
function fakePython(name: string, version: string, venv: boolean): string {
  const file = path.join(scratch, name);
  writeFileSync(file, `#!/bin/sh\necho "${version}"\n${venv ? "exit 0" : 'echo "ModuleNotFoundError: No module named ensurepip" >&2\nexit 1'}\n`);
  chmodSync(file, 0o755);
  return file;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe("embedded database launcher", { timeout: 120_000, skip: process.env.MONGODB_URI ? "MONGODB_URI is set: no embedded database" : false }, () => {
  const withPython = async (python: string) => {
    const saved = process.env.PARLEY_PYTHON;
    process.env.PARLEY_PYTHON = python;
    try {
      // A root of its own, with no environment installed yet, so the launcher has to look for Python.
      await ensureEmbeddedDb({ root: mkdtempSync(path.join(scratch, "root-")) });
      return null;
    } catch (error) {
      return (error as Error).message;
    } finally {
      if (saved === undefined) delete process.env.PARLEY_PYTHON;
      else process.env.PARLEY_PYTHON = saved;
    }
  };

  it("says in one line what to install, or to set MONGODB_URI, when Python or its venv module is missing", async () => {
    const cases = [
      { python: path.join(scratch, "no-such-python"), says: /Python 3\.10–3\.13.*none found.*MONGODB_URI/ },
      { python: fakePython("python-old", "3 8", true), says: /needs Python 3\.10–3\.13; .*python-old is 3\.8.*MONGODB_URI/ },
      { python: fakePython("python-no-venv", "3 11", false), says: /venv module: install it \(Debian\/Ubuntu: apt-get install python3-venv\).*MONGODB_URI/ },
    ];
    for (const { python, says } of cases) {
      const message = await withPython(python);
      assert.ok(message, `${path.basename(python)}: no error`);
      assert.match(message, says);
      assert.equal(message.split("\n").length, 1, `one line: ${message}`);
    }
  });

  it("reports a server that dies, and serves again from the same data after a restart", async () => {
    const dataDir = path.join(scratch, "data");
    const db = await startEmbeddedDb({ root, dataDir });
    // Journalled, as Parley's client asks for everything it acknowledges (lib/db/client.ts).
    const client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 2_000, writeConcern: { w: 1, journal: true } });
    await client.db("t").collection("c").insertOne({ kept: true });
    process.kill(db.pid, "SIGKILL");
    const death = await Promise.race([db.exited, new Promise((resolve) => setTimeout(() => resolve(null), 5_000))]);
    assert.deepEqual(death, { code: null, signal: "SIGKILL" }, "exited settles with how it died");
    await client.close(true);
    const again = await startEmbeddedDb({ root, dataDir });
    const reopened = new MongoClient(again.uri, { serverSelectionTimeoutMS: 2_000 });
    try {
      assert.equal(await reopened.db("t").collection("c").countDocuments({ kept: true }), 1, "an acknowledged write survives kill -9");
    } finally {
      await reopened.close();
      await again.stop();
    }
    assert.equal(alive(again.pid), false, "stop() ends it");
  });

  it("stops the server when the process that started it is killed", async () => {
    const script = `import("${path.join(root, "scripts/embedded-db/launch.mjs")}").then(async (m) => { const db = await m.startEmbeddedDb({ dataDir: ${JSON.stringify(path.join(scratch, "orphan"))} }); console.log(db.pid); })`;
    const parent = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      parent.once("exit", (code) => reject(new Error(`parent exited (${code}) before starting the database`)));
    });
    assert.ok(alive(pid), "the database runs");
    parent.kill("SIGKILL");
    assert.ok(await waitFor(() => !alive(pid), 15_000), `the database (pid ${pid}) outlived its parent`);
  });
});
