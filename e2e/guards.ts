import type { BrowserContext } from "@playwright/test";

/**
 * What a browser context saw that it never should: scripts the Content-Security-Policy blocked,
 * calls to the `__xss` probe that hostile test strings make if they ever run, and dialogs.
 */
export type Guard = { cspViolations: string[]; xssCalls: string[]; dialogs: string[] };

declare global {
  interface Window {
    __xss?: (id: unknown) => void;
    __guardReport?: (kind: "csp" | "xss", detail: string) => void;
  }
}

export async function guardContext(context: BrowserContext): Promise<Guard> {
  const guard: Guard = { cspViolations: [], xssCalls: [], dialogs: [] };
  await context.exposeBinding("__guardReport", (_source, kind: "csp" | "xss", detail: string) => {
    (kind === "csp" ? guard.cspViolations : guard.xssCalls).push(detail);
  });
  // Runs in every frame before the page's own scripts, so nothing can slip past unobserved.
  await context.addInitScript(() => {
    window.__xss = (id) => window.__guardReport?.("xss", String(id));
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__guardReport?.("csp", `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.documentURI} (${event.sample})`);
    });
  });
  const watch = (page: import("@playwright/test").Page) => {
    page.on("dialog", (dialog) => {
      guard.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => {});
    });
    // Chromium also reports blocked content on the console; catches what the event misses (workers).
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) guard.cspViolations.push(`console: ${message.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return guard;
}
