/**
 * `fn` as a function that runs it until it succeeds once: callers meanwhile share the attempt under
 * way, a success is kept, and a failure is forgotten so the next call tries again (a server that was
 * down at start-up must not stay "down" for the life of the process).
 */
export function untilDone<T>(fn: () => Promise<T>): () => Promise<T> {
  let attempt: Promise<T> | null = null;
  return () =>
    (attempt ??= fn().catch((err: unknown) => {
      attempt = null;
      throw err;
    }));
}
