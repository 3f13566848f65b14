/**
 * Masks PII-looking tokens before conversations leave Cairn as training data. Patterns run in
 * order, most specific first, so a Slack token is not half-eaten by the generic secret rule.
 * It errs towards masking: a 40-character commit hash is masked too.
 */

interface Rule {
  pattern: RegExp;
  replace: string | ((match: string) => string);
}

const RULES: Rule[] = [
  // PEM private keys, whole block.
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, replace: '[SECRET]' },
  { pattern: /\b[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g, replace: '[EMAIL]' },
  // Slack bot/user/app/refresh/config tokens.
  { pattern: /\bxox[abposre]-[A-Za-z0-9-]{8,}/g, replace: '[TOKEN]' },
  { pattern: /\bxapp-[A-Za-z0-9-]{8,}/g, replace: '[TOKEN]' },
  // OpenAI-style keys (sk-…, sk-proj-…).
  { pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: '[TOKEN]' },
  // GitHub tokens.
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: '[TOKEN]' },
  // AWS access key ids.
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: '[TOKEN]' },
  // JSON Web Tokens.
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: '[TOKEN]' },
  // Discord bot tokens: base64 user id . timestamp . HMAC.
  { pattern: /\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}\b/g, replace: '[TOKEN]' },
  // HTTP bearer credentials.
  { pattern: /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{12,}/g, replace: (m) => `${m.split(/\s+/)[0]} [TOKEN]` },
  // Long hex strings (API keys, signing secrets).
  { pattern: /\b[a-fA-F0-9]{32,}\b/g, replace: '[SECRET]' },
  // Long base64-ish strings that mix letters and digits.
  { pattern: /(?<![\w/.-])[A-Za-z0-9+/_-]{32,}={0,2}(?![\w/.-])/g, replace: (m) => (/\d/.test(m) && /[A-Za-z]/.test(m) ? '[SECRET]' : m) },
  // Phone numbers: international (+…) with 8–15 digits, or the North American 3-3-4 shape.
  { pattern: /(?<![\w+])\+\d[\d\s().-]{6,18}\d(?!\w)/g, replace: (m) => (digits(m) >= 8 && digits(m) <= 15 ? '[PHONE]' : m) },
  { pattern: /(?<![\w.])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w.])/g, replace: '[PHONE]' },
];

function digits(text: string): number {
  return text.replace(/\D/g, '').length;
}

export function maskPii(text: string): string {
  let out = text;
  for (const rule of RULES) {
    out = typeof rule.replace === 'string' ? out.replace(rule.pattern, rule.replace) : out.replace(rule.pattern, rule.replace);
  }
  return out;
}
