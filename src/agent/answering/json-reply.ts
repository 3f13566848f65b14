/**
 * The JSON object in a model's reply, tolerating code fences and chatter around it, or null.
 * Small models asked for "JSON only" still wrap it often enough to matter.
 */
export function parseJsonReply(text: string): Record<string, unknown> | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'object' && p !== null && 'text' in p ? String(p.text) : '')).join('');
  return '';
}
