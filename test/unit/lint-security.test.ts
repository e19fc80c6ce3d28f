// The security lint is really on: the project's own ESLint config rejects the classic sinks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ESLint } from "eslint";

const eslint = new ESLint({ cwd: process.cwd() });

async function rulesHit(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe("security lint", { timeout: 60_000 }, () => {
  const cases: { label: string; code: string; rule: string }[] = [
    { label: "innerHTML from a variable", code: "export function f(el: HTMLElement, text: string) { el.innerHTML = text; }\n", rule: "no-unsanitized/property" },
    { label: "insertAdjacentHTML", code: "export function f(el: HTMLElement, text: string) { el.insertAdjacentHTML(\"beforeend\", text); }\n", rule: "no-unsanitized/method" },
    { label: "eval of a variable", code: "export function f(code: string) { return eval(code); }\n", rule: "security/detect-eval-with-expression" },
    { label: "a RegExp built from input", code: "export function f(q: string) { return new RegExp(q); }\n", rule: "security/detect-non-literal-regexp" },
    { label: "a child process from a variable", code: "import { exec } from \"node:child_process\";\nexport function f(cmd: string) { exec(cmd); }\n", rule: "security/detect-child-process" },
  ];
  for (const { label, code, rule } of cases) {
    it(`flags ${label}`, async () => {
      const hits = await rulesHit(code, "lib/lint-probe.ts");
      assert.ok(hits.includes(rule), `${rule} not reported; got ${JSON.stringify(hits)}`);
    });
  }

  it("accepts text rendered as a React text node", async () => {
    const hits = await rulesHit("export function F({ text }: { text: string }) { return <p>{text}</p>; }\n", "components/lint-probe.tsx");
    assert.deepEqual(hits.filter((rule) => rule.startsWith("security/") || rule.startsWith("no-unsanitized/")), []);
  });
});
