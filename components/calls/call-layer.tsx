"use client";

import { lazy, Suspense, useEffect, useState } from "react";
import { retrying } from "@/lib/client/chunks";
import type { ChatEngine } from "@/lib/client/engine";

// The only call code in /chat's first load: it waits for a ring or a call button (the engine's
// call inbox keeps what comes meanwhile) and then loads the call engine and its screens, a chunk
// of their own; also fetched when the page is idle, so a ring shows at once.
const load = retrying(() => import("./call-root"));
const CallRoot = lazy(() => load().then((m) => ({ default: m.CallRoot })));

export function CallLayer({ engine, me }: { engine: ChatEngine | null; me: string }) {
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    if (!engine) return;
    const off = engine.calls.onWanted(() => setWanted(true));
    const preload = () => void load().then(() => setWanted(true), () => undefined);
    const idle = typeof window.requestIdleCallback === "function";
    const handle = idle ? window.requestIdleCallback(preload, { timeout: 5_000 }) : setTimeout(preload, 3_000);
    return () => {
      off();
      if (idle) window.cancelIdleCallback(handle as number);
      else clearTimeout(handle);
    };
  }, [engine]);
  return wanted && engine ? (
    <Suspense fallback={null}>
      <CallRoot engine={engine} me={me} />
    </Suspense>
  ) : null;
}
