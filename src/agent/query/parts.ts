import { queryTerms } from '../../retrieval/text/index.js';

/** "and" opening a new question: "…, and how do I…", "… and then read…". */
const NEW_QUESTION = /(?:,\s*|\s+)and\s+(?=(?:then|also|how|what|which|where|when|why|who|whether|do|does|did|is|are|can|could|should|must|will|would)\b)/i;
/** A part with fewer content terms than this is a tail of the one before ("and what is the default?"). */
const MIN_PART_TERMS = 2;

/**
 * The parts of a question that asks several things ("What goes in the Procfile, and what do I
 * configure in the app?"), each to be searched on its own: searched whole, such a question finds
 * passages about its loudest part only. A statement before the questions ("We're moving to Bolt
 * 4:") is context, kept with every part. One part, or none worth searching apart, gives [].
 */
export function questionParts(question: string): string[] {
  const sentences = question.split(/(?<=[.?!:;])\s+/).map((s) => s.trim()).filter((s) => s !== '');
  const context = sentences.filter((s) => !s.endsWith('?')).join(' ');
  const asked = sentences.filter((s) => s.endsWith('?'));
  const parts = asked
    .flatMap((s) => s.split(NEW_QUESTION))
    .map((p) => p.trim())
    .filter((p) => queryTerms(p).length >= MIN_PART_TERMS);
  return parts.length > 1 ? parts.map((p) => (context ? `${context} ${p}` : p)) : [];
}
