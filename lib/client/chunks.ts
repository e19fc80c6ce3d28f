// Loading the chat's code-split parts (React.lazy, next/dynamic, the engine) so that a network
// gone while the page is still fetching them is waited out instead of crashing the page.
//
// A bare `import()` rejects when its chunk cannot be fetched, and React.lazy keeps that rejection:
// the part throws on every render and takes the page down to its error screen. Here a failed
// fetch is tried again: at once when the browser says it is back online, otherwise after a
// growing pause; failures while the browser knows it is offline do not count. Only a chunk that
// keeps failing while the browser is online (a server that no longer has it: the app was
// redeployed under an open page) is given up on, and the error screen offers a reload.

export type ChunkEnvironment = {
  online(): boolean;
  /** Calls `listener` once the browser is back online; returns how to stop waiting. */
  onOnline(listener: () => void): () => void;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type ChunkPolicy = {
  /** Failures while online before giving up. */
  attempts: number;
  /** The pause after the first failure; doubled after each, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
};

export const chunkPolicy: ChunkPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 8_000 };

const browser: ChunkEnvironment = {
  online: () => typeof navigator === "undefined" || navigator.onLine !== false,
  onOnline(listener) {
    if (typeof window === "undefined") return () => undefined;
    window.addEventListener("online", listener, { once: true });
    return () => window.removeEventListener("online", listener);
  },
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** An error that says the page's code is out of reach, not that the code is wrong. */
export class ChunkUnavailableError extends Error {
  constructor(cause: unknown) {
    super("Part of Parley could not be loaded from the server", { cause });
    this.name = "ChunkUnavailableError";
  }
}

/**
 * Wraps a module loader: the first call starts loading, every call gets the same promise, which
 * settles once the module is here (or the loader is given up on, after which a later call starts
 * over).
 */
export function retrying<T>(load: () => Promise<T>, policy: ChunkPolicy = chunkPolicy, env: ChunkEnvironment = browser): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= loadPatiently(load, policy, env).catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

function loadPatiently<T>(load: () => Promise<T>, policy: ChunkPolicy, env: ChunkEnvironment): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let failures = 0;
    const attempt = () => {
      load().then(resolve, (error: unknown) => {
        const offline = !env.online();
        if (!offline) failures += 1;
        if (failures >= policy.attempts) return reject(new ChunkUnavailableError(error));
        // Whichever comes first: the browser saying it is back, or the pause running out (the
        // browser's online flag is a hint; a server out of reach leaves it true).
        let done = false;
        const again = () => {
          if (done) return;
          done = true;
          stopWaiting();
          env.clearTimeout(timer);
          attempt();
        };
        const stopWaiting = env.onOnline(again);
        const pause = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
        const timer = env.setTimeout(again, offline ? policy.maxDelayMs : pause);
      });
    };
    attempt();
  });
}
