// Compiles the socket server to plain JavaScript for `npm start`: one ESM file, dependencies
// left to node_modules. esbuild rather than tsc because tsc would not rewrite the "@/" paths
// and emits a file per module; esbuild follows tsconfig paths and takes under a second.
import { build } from "esbuild";
import path from "node:path";
import { root } from "./processes.mjs";

await build({
  entryPoints: [path.join(root, "socket-server/index.ts")],
  outfile: path.join(root, "dist/socket-server/index.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
console.log("socket server built: dist/socket-server/index.mjs");
