/**
 * What a log may keep of a failed Discord call. discord.js errors carry the request body (the
 * message text) and URLs with interaction tokens; logs get neither.
 */
export function loggable(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; status?: unknown; method?: unknown; url?: unknown };
  return {
    type: e.name,
    message: e.message,
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(typeof e.method === 'string' ? { method: e.method } : {}),
    ...(typeof e.url === 'string' ? { url: withoutTokens(e.url) } : {}),
    stack: e.stack,
  };
}

function withoutTokens(url: string): string {
  return url.replace(/\/(webhooks|interactions)\/(\d+)\/[^/?]+/g, '/$1/$2/[token]');
}
