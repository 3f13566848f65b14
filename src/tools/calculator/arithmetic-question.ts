import type { MathJsInstance, MathNode } from 'mathjs';
import { ALLOWED_CONSTANTS, ALLOWED_FUNCTIONS } from './allow-list.js';
import { createRestrictedMath } from './restricted-math.js';
import { validateExpressionTree } from './validate.js';

/**
 * Pulls a calculator expression out of a question such as "what is 17% of 2,340?" or "convert 5 km to
 * miles", so the no-LLM mode can still answer arithmetic. Deliberately conservative: the whole question
 * (after a lead-in like "what is") must be the calculation, every word must be a unit, a constant or an
 * allowed function, and it must actually compute something. Anything doubtful returns null and the
 * question goes to document search instead.
 */
export function looksLikeArithmetic(question: string): string | null {
  if (question.length > 200) return null;
  let text = stripLeadIn(question.trim().replace(/[\s?!.=]+$/u, '').trim());
  if (text === '' || !/\d/.test(text)) return null;

  text = text
    .replace(/[×]/gu, '*').replace(/[÷]/gu, '/').replace(/[−–]/gu, '-')
    .replace(/(\d)\s*x\s*(?=\d)/gu, '$1 * ')
    .replace(/\bmultiplied by\b|\btimes\b/giu, '*')
    .replace(/\bdivided by\b/giu, '/')
    .replace(/\bplus\b/giu, '+')
    .replace(/\bminus\b/giu, '-')
    .replace(/\bpercent\b/giu, '%');
  // "2,340" is a thousands separator only where no call's argument list could be meant.
  if (!text.includes('(')) text = text.replace(/\b(\d{1,3}(?:,\d{3})+)(?![\d,])/gu, (m) => m.replace(/,/gu, ''));
  if (text.includes(',') && !text.includes('(')) return null;
  if (looksLikeDateOrCode(text)) return null;

  const howMany = /^how many (\p{L}[\p{L} ]*?) (?:are )?in (.+)$/iu.exec(text);
  if (howMany) text = `${howMany[2]} to ${howMany[1]}`;
  const percentOf = /^(\d+(?:\.\d+)?)\s*%\s*of\s+(.+)$/iu.exec(text);
  if (percentOf) text = `${percentOf[1]} / 100 * (${percentOf[2]})`;
  text = text.replace(/\s+(?:into|as)\s+(?=\p{L})/giu, ' to ');

  if (!/^[0-9a-zA-Z\s+\-*/^%().,!]+$/u.test(text)) return null;
  const math = parserInstance();
  if (!wordsAreKnown(text, math)) return null;
  let node: MathNode;
  try {
    node = math.parse(text);
    validateExpressionTree(node, { isUnit: (name) => !(name in math) && math.Unit.isValuelessUnit(name) });
  } catch {
    // A parse error or an ExpressionRejected: either way it is not a calculation we would run.
    return null;
  }
  return computesSomething(node) ? text.replace(/\s+/gu, ' ').trim() : null;
}

const LEAD_IN =
  /^(?:(?:hey|hi|ok|okay|so|please|pls|quick question|can you|could you|would you)[,:]?\s+)*(?:tell me\s+)?(?:what(?:'s|’s| is| are)|whats|calculate|compute|evaluate|work out|how much is|how much are|convert|solve)\s*[,:]?\s+/iu;

function stripLeadIn(text: string): string {
  return text.replace(LEAD_IN, '').replace(/[,\s]+please$/iu, '').trim();
}

/** Dates (2024-01-15, 12/25/2024), phone numbers (555-1234) and zero-padded codes look like arithmetic. */
function looksLikeDateOrCode(text: string): boolean {
  return /\d{3,}-\d{3,}|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b0\d/u.test(text);
}

function wordsAreKnown(text: string, math: MathJsInstance): boolean {
  for (const match of text.matchAll(/[a-zA-Z_]\w*/gu)) {
    const word = match[0];
    const followedByCall = /^\s*\(/u.test(text.slice((match.index ?? 0) + word.length));
    if (followedByCall ? ALLOWED_FUNCTIONS.has(word) : isValueWord(word, math)) continue;
    return false;
  }
  return true;
}

function isValueWord(word: string, math: MathJsInstance): boolean {
  if (word === 'to' || word === 'in' || word === 'mod') return true;
  if (ALLOWED_CONSTANTS.has(word)) return word !== 'i' && word !== 'E';
  // Single letters other than common unit symbols are too likely to be English ("a", "I").
  if (word.length === 1 && !'mgslhVAWJN'.includes(word)) return false;
  return !(word in math) && math.Unit.isValuelessUnit(word);
}

/** A bare number or quantity ("2024", "5 m", "-3") is not a calculation. */
function computesSomething(root: MathNode): boolean {
  let found = false;
  root.traverse((node) => {
    if (node.type === 'FunctionNode') found = true;
    if (node.type === 'OperatorNode') {
      const op = node as unknown as { fn: string; implicit: boolean };
      if (!op.implicit && op.fn !== 'unaryMinus' && op.fn !== 'unaryPlus') found = true;
    }
  });
  return found;
}

let parser: MathJsInstance | undefined;

/** Only parses and looks up unit names, never evaluates, so one instance can serve every question. */
function parserInstance(): MathJsInstance {
  parser ??= createRestrictedMath();
  return parser;
}
