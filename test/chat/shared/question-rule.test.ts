import { describe, expect, it } from 'vitest';
import { looksLikeQuestion } from '../../../src/chat/shared/question-rule.js';

describe('looksLikeQuestion', () => {
  it('counts a question mark anywhere', () => {
    for (const t of ['deploy broken?', 'The VPN keeps dropping, any idea?', 'anyone？', '¿Cómo despliego?']) expect(looksLikeQuestion(t), t).toBe(true);
  });

  it('counts a question word or auxiliary at the start, without a question mark', () => {
    for (const t of ['How do I rotate the API key', 'what is the on-call rota', 'Why does CI fail on main', 'Where are the runbooks',
      'When is the freeze', 'Who owns billing', 'Which region do we use', 'Can I deploy on Fridays', 'Does the CLI support proxies',
      'Is staging down', 'Should I use v2', "What's the SLA", 'Doesn’t the cache expire', 'Are there docs for SSO']) {
      expect(looksLikeQuestion(t), t).toBe(true);
    }
  });

  it('skips mentions, quotes and emoji before the first word', () => {
    expect(looksLikeQuestion('<@U123> how do I deploy')).toBe(true);
    expect(looksLikeQuestion(':wave: does anyone know the VPN host')).toBe(true);
    expect(looksLikeQuestion('&gt; is this still true')).toBe(true);
    expect(looksLikeQuestion('*What* is the SLA')).toBe(true);
  });

  it('leaves statements, thanks and announcements alone', () => {
    for (const t of ['thanks!', 'fixed it, my bad', 'FYI deploys are frozen until Monday', 'Deploy finished', 'howdy all', 'Isolation levels are explained in the wiki', 'lgtm']) {
      expect(looksLikeQuestion(t), t).toBe(false);
    }
  });

  it('ignores empty text, and question marks inside code', () => {
    expect(looksLikeQuestion('')).toBe(false);
    expect(looksLikeQuestion('   ')).toBe(false);
    expect(looksLikeQuestion('ran `a ? b : c` and it works')).toBe(false);
    expect(looksLikeQuestion('```\nx = y ?? z\n```')).toBe(false);
  });
});
