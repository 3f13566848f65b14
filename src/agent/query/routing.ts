/**
 * Decides, without a model call, whether a message needs the documents. Only clear small talk and
 * pure arithmetic skip retrieval; anything else might be about the organisation, so it retrieves.
 */

export type Route = 'smalltalk' | 'arithmetic' | 'retrieve';

const NAME = String.raw`(?:\s+(?:there|all|everyone|folks|team|cairn|bot))?`;
const END = String.raw`[\s!.,:;)(^_-]*(?:[:;]-?[)D]|[\p{Extended_Pictographic}\uFE0F]+)?[\s!.]*$`;
const SMALLTALK = [
  new RegExp(String.raw`^(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening)|morning)${NAME}${END}`, 'iu'),
  new RegExp(String.raw`^(?:(?:thanks|thank you|thx|ty|cheers|many thanks)(?: (?:a lot|so much|very much))?|much appreciated)${NAME}${END}`, 'iu'),
  new RegExp(String.raw`^(?:ok(?:ay)?|great|awesome|perfect|nice|cool|got it|makes sense|good to know|that helps|that's helpful)(?:,? (?:thanks|thank you))?${NAME}${END}`, 'iu'),
  new RegExp(String.raw`^(?:bye|goodbye|see you|see ya|cya|later)${NAME}${END}`, 'iu'),
  new RegExp(String.raw`^how are you(?: doing| today)?${NAME}\s*\??${END}`, 'iu'),
  /^[\s\p{Extended_Pictographic}\uFE0F]+$/u,
];

/**
 * Asks for code to be run; only then is run_code offered, whatever a retrieved document says.
 * "Code" alone is not enough: dress code, code of conduct.
 */
const WANTS_CODE = [
  /`[^`]+`/,
  /\b(?:javascript|typescript|regexp?|script|snippet|program)\b/i,
  /\b(?:run|execute|eval(?:uate)?)\b[^.?!]*\b(?:code|this|it|that)\b/i,
];

export function isSmallTalk(message: string): boolean {
  const text = message.trim();
  return text.length <= 60 && SMALLTALK.some((re) => re.test(text));
}

export function wantsCode(message: string): boolean {
  return WANTS_CODE.some((re) => re.test(message));
}

/** `extractArithmetic` returns the expression when the whole message is a calculation. */
export function routeQuestion(question: string, extractArithmetic?: (q: string) => string | null): { route: Route; expression?: string } {
  if (isSmallTalk(question)) return { route: 'smalltalk' };
  const expression = extractArithmetic?.(question) ?? null;
  if (expression !== null) return { route: 'arithmetic', expression };
  return { route: 'retrieve' };
}
