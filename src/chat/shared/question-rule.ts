/**
 * Words that open a question in English: interrogatives, and the auxiliaries a yes/no question
 * starts with. "Is it down" and "does X support Y" are questions even when the "?" is left off.
 */
const OPENERS = new Set([
  'how', 'what', 'why', 'where', 'when', 'who', 'whom', 'whose', 'which',
  'can', 'could', 'does', 'do', 'did', 'is', 'are', 'was', 'were', 'should', 'would', 'will', 'may', 'might', 'must', 'has', 'have', 'had',
  "what's", "where's", "who's", "how's", "when's", "why's", "isn't", "aren't", "doesn't", "don't", "can't", "won't", "shouldn't",
]);

/**
 * Whether a message in a support channel asks something, judged cheaply before anything is looked
 * up: it contains a question mark, or its first word opens a question. Chat ("thanks!", "fixed it",
 * "FYI deploys are frozen") is left alone. Slack and Discord markup at the start (mentions, links,
 * emoji codes, quote markers) is skipped so "<@U1> how do I…" still counts.
 */
export function looksLikeQuestion(text: string): boolean {
  const plain = text.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`]*`/g, ' ').trim();
  if (!plain) return false;
  if (/[?？¿]/.test(plain)) return true;
  const first = plain
    .replace(/^(?:\s|<[^>]*>|:[a-z0-9_+-]+:|&gt;|>|[*_~"'([-])+/i, '')
    .split(/[\s,.:;!]+/, 1)[0]!
    .replace(/[’]/g, "'")
    .toLowerCase()
    .replace(/[^a-z']+$/, '');
  return OPENERS.has(first);
}
