import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedbackStore } from '../../src/feedback/feedback-store.js';
import { reply, request } from '../feedback/helpers.js';
import { cairn, cliWithEmbeddings } from './helpers.js';

describe('cairn report gaps', () => {
  const s = cliWithEmbeddings();

  it('groups the weak answers from the feedback store and writes the HTML report', async () => {
    const docs = path.join(s.dir, 'docs');
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(docs, 'vpn.md'), '# VPN\n\nInstall the client, then sign in.\n');
    expect((await cairn('ingest', docs)).code).toBe(0);
    const store = new FeedbackStore(s.dir);
    const declined = { ...reply("I couldn't find that in the docs."), grounding: { verdict: 'unsupported' as const, confidence: 0 } };
    store.remember(request('How do I reset the VPN <token>?'), declined, 'a');
    store.remember(request('How do I reset the VPN <token>?'), declined, 'b');
    store.remember(request('Is the canteen open?'), declined, 'c');
    store.remember(request('Fine question'), reply('Answered [1].'), 'd');
    store.close();

    const out = path.join(s.dir, 'gaps');
    const run = await cairn('report', 'gaps', '--json', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { questions: number; groups: Array<{ size: number; suggestedTitle: string; closest: Array<{ source: string }> }> };
    expect(report.questions).toBe(3);
    expect(report.groups.map((g) => [g.size, g.suggestedTitle])).toEqual([[2, 'Reset the VPN <token>'], [1, 'Is the canteen open']]);
    expect(report.groups[0]!.closest[0]!.source).toMatch(/vpn\.md$/);
    const html = fs.readFileSync(path.join(out, 'gaps-report.html'), 'utf8');
    expect(html).toContain('Reset the VPN &lt;token&gt;');
    expect(html).not.toContain('<token>');

    const text = await cairn('report', 'gaps', '--since', '2999-01-01');
    expect(text.stdout).toMatch(/^0 weak answers since 2999-01-01T00:00:00.000Z in 0 groups: nothing to report/);
    const bad = await cairn('report', 'gaps', '--since', 'last tuesday');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--since.*expected an ISO date/);
  });
});
