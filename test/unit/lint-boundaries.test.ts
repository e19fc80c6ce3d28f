// The layers' import boundaries (STYLE.md) are really on: the project's own ESLint config
// refuses an import across each of them, and lets through what the layer may import.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

const eslint = new ESLint({ cwd: process.cwd() });
const RULE = "@typescript-eslint/no-restricted-imports";

async function refused(code: string, filePath: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${code}\nexport const probe = 1;\n`, { filePath });
  return (result?.messages ?? []).some((m) => m.ruleId === RULE);
}

const cases: { file: string; code: string; refused: boolean }[] = [
  // Browser code: no server-only modules, no driver.
  { file: "components/chat/probe.tsx", code: 'import { getDb } from "@/lib/db/client";', refused: true },
  { file: "components/chat/probe.tsx", code: 'import { sendMessage } from "@/lib/chat";', refused: true },
  { file: "components/chat/probe.tsx", code: 'import { announce } from "@/lib/fanout/announce";', refused: true },
  { file: "components/chat/probe.tsx", code: 'import { ObjectId } from "mongodb";', refused: true },
  { file: "components/chat/probe.tsx", code: 'import { openApiDocument } from "@/lib/contract/openapi";', refused: true },
  { file: "components/docs/probe.tsx", code: 'import type { ApiReference } from "@/lib/contract/reference";', refused: false },
  { file: "lib/client/probe.ts", code: 'import { HTTP_ROUTES } from "../contract/routes";', refused: true },
  { file: "components/chat/probe.tsx", code: 'import { ChatEngine } from "@/lib/client/engine";', refused: false },
  { file: "components/chat/probe.tsx", code: 'import type { Ack } from "@/lib/realtime/events";', refused: false },
  { file: "lib/client/probe.ts", code: 'import { getDb } from "../db/client";', refused: true },
  { file: "lib/client/probe.ts", code: 'import { getSession } from "../auth/session";', refused: true },
  { file: "lib/client/probe.ts", code: 'import { fanOut } from "../fanout/fanout";', refused: true },
  { file: "lib/client/probe.ts", code: 'import type { Db } from "mongodb";', refused: true },
  { file: "lib/client/probe.ts", code: 'import { userRoom } from "../realtime/rooms";', refused: false },
  // The contract: zod, each other, and types only.
  { file: "lib/realtime/probe.ts", code: 'import { Server } from "socket.io";', refused: true },
  { file: "lib/realtime/probe.ts", code: 'import { randomUUID } from "node:crypto";', refused: true },
  { file: "lib/realtime/probe.ts", code: 'import { AppError } from "../errors";', refused: true },
  { file: "lib/realtime/probe.ts", code: 'import type { ErrorBody } from "../errors";', refused: false },
  { file: "lib/realtime/probe.ts", code: 'import type { MessageDto } from "../schemas/dto";', refused: false },
  { file: "lib/schemas/probe.ts", code: 'import { getDb } from "../db/client";', refused: true },
  { file: "lib/schemas/probe.ts", code: 'import { z } from "zod";', refused: false },
  { file: "lib/schemas/probe.ts", code: 'import { idSchema } from "./common";', refused: false },
];

describe("import boundaries", { timeout: 60_000 }, () => {
  for (const { file, code, refused: expected } of cases) {
    it(`${expected ? "refuses" : "allows"} in ${file}: ${code}`, async () => {
      assert.equal(await refused(code, file), expected);
    });
  }
});
