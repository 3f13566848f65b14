import { STOPWORDS, words } from '../../retrieval/text/index.js';

/**
 * The words that set one group of questions apart from the others: frequency in the group times
 * the inverse of how many groups use the word (tf-idf over groups). Stop words and question words
 * say nothing about the topic and are left out.
 */
export function distinctiveTerms(groups: readonly string[][], count = 4): string[][] {
  const bags = groups.map((questions) => {
    const tf = new Map<string, number>();
    for (const q of questions) for (const w of new Set(topicWords(q))) tf.set(w, (tf.get(w) ?? 0) + 1);
    return tf;
  });
  const df = new Map<string, number>();
  for (const bag of bags) for (const w of bag.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  return bags.map((bag) =>
    [...bag.entries()]
      .map(([w, tf]) => ({ w, score: tf * Math.log(1 + groups.length / df.get(w)!) }))
      .sort((a, b) => b.score - a.score || a.w.localeCompare(b.w))
      .slice(0, count)
      .map((t) => t.w),
  );
}

const QUESTION_LEAD = /^(?:(?:how|what|where|when|why|which|who)\b(?:\s+(?:do|does|did|can|could|should|would|is|are|was|were|to))?(?:\s+(?:i|we|you|one))?|(?:can|could|should|is|are|do|does)\s+(?:i|we|you))\s+/i;

/**
 * A title for the page that would answer a group, from its most typical question: the question
 * words dropped and the rest in sentence case ("How do I rotate an API token?" → "Rotate an API token").
 */
export function suggestTitle(question: string): string {
  const core = question.trim().replace(/[?.!\s]+$/, '').replace(QUESTION_LEAD, '').trim();
  const text = core || question.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function topicWords(text: string): string[] {
  return words(text).filter((w) => w.length > 2 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
}
