import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import noUnsanitized from "eslint-plugin-no-unsanitized";
import security from "eslint-plugin-security";

// The boundaries of STYLE.md, enforced: which layer may import which. typescript-eslint's
// version of the rule, because it can let type-only imports through where types are allowed.
const restrict = (patterns) => ({
  "no-restricted-imports": "off",
  "@typescript-eslint/no-restricted-imports": ["error", { patterns }],
});

const notSocketServer = { group: ["**/socket-server/**", "@/socket-server/**"], message: "app/, components/ and lib/ never import socket-server/." };
const notApp = { group: ["@/app/**", "**/app/**", "@/components/**", "**/components/**"], message: "lib/ never imports app/ or components/." };

// What the browser must never load: the database, the domain core, auth and the server's fan-out
// (server-only code, and secrets), the contract's document generators (all of zod and its JSON
// Schema converter), and the mongodb driver itself.
const serverOnlyMessage = "Browser code (components/, lib/client/) never imports lib/db, lib/chat, lib/auth, lib/fanout, lib/contract or mongodb.";
const browserUnsafe = [
  { regex: "^(@/|(\\.\\./)+)lib/(db|chat|auth|fanout)(/|$)", message: serverOnlyMessage },
  // The API page's server components take its model's types (erased), never its code.
  { regex: "^(@/|(\\.\\./)+)lib/contract(/|$)", allowTypeImports: true, message: serverOnlyMessage },
  { group: ["mongodb", "mongodb/*"], message: serverOnlyMessage },
];
// The same folders as lib/client/'s siblings, reached with ../ from inside lib/client/.
const browserUnsafeFromLib = { regex: "^\\.\\./(db|chat|auth|fanout|contract)(/|$)", message: serverOnlyMessage };

// lib/schemas/ and lib/realtime/ are loaded by the browser and by both servers: they import zod,
// each other, and types (from anywhere) only.
const contractMessage = "lib/schemas/ and lib/realtime/ import only zod, each other, and types: the browser loads them too.";
const contractOnly = [
  { regex: "^(?!zod$|\\.|@/)", allowTypeImports: true, message: contractMessage },
  { regex: "^(\\.\\./(?!(schemas|realtime)(/|$))|@/(?!lib/(schemas|realtime)/))", allowTypeImports: true, message: contractMessage },
];

const config = [
  { ignores: [".next/**", "dist/**", ".data/**", "node_modules/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  // Security lint (issue 4): unsafe DOM sinks, eval-like calls, unsafe regexes, non-literal
  // fs paths and the rest, at 0 errors like everything else in `npm run lint`.
  security.configs.recommended,
  noUnsanitized.configs.recommended,
  {
    rules: {
      // Flags every obj[key] (34 places, all typed keys here). The risk it stands for, prototype
      // pollution from input, is closed at the boundary instead: strict zod schemas on every
      // transport, with __proto__/constructor payloads in the hostile-input suite.
      "security/detect-object-injection": "off",
    },
  },
  {
    // Build scripts, the database launcher and tests open paths they compute themselves.
    files: ["scripts/**", "tools/**", "test/**", "e2e/**"],
    rules: { "security/detect-non-literal-fs-filename": "off", "security/detect-non-literal-regexp": "off" },
  },
  {
    // File storage and upload spooling: every path is made here (a random spool name, a blob key
    // checked by lib/storage/blob-storage.ts), never taken from a request.
    files: ["lib/storage/**", "lib/files/**"],
    rules: { "security/detect-non-literal-fs-filename": "off" },
  },
  {
    // Attachments: pictures the server already resized (/api/files/:id/thumbnail, behind the
    // session) or still in this browser (blob: URLs). next/image would fetch them again through
    // its optimiser, which has neither the session nor anything left to do.
    files: ["components/chat/files/**"],
    rules: { "@next/next/no-img-element": "off" },
  },
  {
    files: ["socket-server/**/*.ts"],
    rules: restrict([
      { group: ["next", "next/*", "next-auth", "next-auth/*", "react", "react-dom", "server-only"], message: "socket-server/ runs outside Next.js: no next/*, react or server-only." },
      { group: ["@/app/**", "**/app/**", "@/components/**", "**/components/**"], message: "socket-server/ never imports app/ or components/." },
      { group: ["**/lib/auth/session", "**/lib/auth/options", "**/lib/auth/adapters"], message: "These modules import next-auth/next; the socket server cannot load them." },
    ]),
  },
  { files: ["lib/**/*.{ts,js}"], rules: restrict([notSocketServer, notApp]) },
  { files: ["app/**/*.{ts,tsx}"], rules: restrict([notSocketServer]) },
  { files: ["components/**/*.{ts,tsx}"], rules: restrict([notSocketServer, ...browserUnsafe]) },
  { files: ["lib/client/**/*.ts"], rules: restrict([notSocketServer, notApp, ...browserUnsafe, browserUnsafeFromLib]) },
  { files: ["lib/schemas/**/*.ts", "lib/realtime/**/*.ts"], rules: restrict([notSocketServer, notApp, ...contractOnly]) },
];

export default config;
