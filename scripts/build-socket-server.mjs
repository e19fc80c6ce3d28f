// Compiles the socket server to plain JavaScript for `npm start`: one ESM file, dependencies
// left to node_modules. esbuild rather than tsc because tsc would not rewrite the "@/" paths
// and emits a file per module; esbuild follows tsconfig paths and takes under a second.
// Two files: index.mjs opens the port and loads the rest (main-*.mjs, split off so that its
// packages are imported only then; see socket-server/index.ts).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";
import { root } from "./processes.mjs";

const outdir = path.join(root, "dist/socket-server");
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { index: path.join(root, "socket-server/index.ts") },
  outdir,
  outExtension: { ".js": ".mjs" },
  splitting: true,
  chunkNames: "main-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
console.log("socket server built: dist/socket-server/index.mjs");
