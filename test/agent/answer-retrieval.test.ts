import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAI, match, messageText } from '../fakes/openai-server.js';
import { ask, calls, citationsConsistent, makeAgent, MAIN_MODEL, rewriteReply } from './helpers.js';

describe('answer() over retrieval, against a scripted OpenAI-compatible server', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => fake.reset());

  it('answers from one retrieval with correct citations in one model call when the first search is confident', async () => {
    fake.when(calls.answer, {
      content: 'Employees get 25 days of paid annual leave per calendar year [1]. Up to 5 unused days can be carried over to the next year [1].',
      usage: { promptTokens: 700, completionTokens: 40 },
    });
    const { agent, retriever } = makeAgent(fake);
    const reply = await agent.answer(ask('How many days of paid annual leave do employees get per year?'));

    expect(reply.mode).toBe('agent');
    expect(reply.text).toContain('25 days');
    expect(reply.citations).toEqual([
      expect.objectContaining({ n: 1, title: 'Annual leave', source: 'hr/leave.md', chunkId: 'hr/leave.md#0', snippet: expect.stringContaining('25 days') }),
    ]);
    expect(citationsConsistent(reply)).toBe(true);
    expect(reply.grounding.verdict).toBe('supported');
    expect(reply.grounding.confidence).toBeGreaterThan(0.6);
    expect(reply.llm).toEqual({ calls: 1, promptTokens: 700, completionTokens: 40 });
    expect(retriever.searches.every((s) => s.options.accessGroups.join() === 'public')).toBe(true);
    expect(Object.keys(reply.timingsMs)).toEqual(expect.arrayContaining(['route', 'retrieve', 'grade', 'act', 'check', 'finish', 'llm', 'total']));
  });

  it('rewrites a vague question once, searches every rewrite, and cites the passage found by a rewrite', async () => {
    fake.when(calls.rewrite, rewriteReply('How do I connect to the VPN?', ['VPN WireGuard profile', 'remote access internal dashboards']));
    fake.when(calls.answer, { content: 'Install WireGuard and import the profile from the IT portal [1].' });
    const { agent, retriever } = makeAgent(fake);
    const reply = await agent.answer(ask('I am at home and the dashboards will not load, what do I do?'));

    expect(retriever.searches.map((s) => s.query)).toEqual([
      'I am at home and the dashboards will not load, what do I do?',
      'How do I connect to the VPN?',
      'VPN WireGuard profile',
      'remote access internal dashboards',
    ]);
    const prompt = messageText(fake.bodies.find((b) => b.model === MAIN_MODEL)?.messages.at(-1));
    expect(prompt).toMatch(/<<source \[1\] [0-9a-f]{8}>>\ntitle: VPN access\nfrom: it\/vpn.md\n---\nTo connect to the VPN, install WireGuard/);
    expect(reply.citations).toHaveLength(1);
    expect(reply.citations[0]).toMatchObject({ n: 1, source: 'it/vpn.md' });
    expect(reply.text).toBe('Install WireGuard and import the profile from the IT portal [1].');
    expect(reply.llm.calls).toBe(2);
  });

  it('never shows the model a passage outside the asker’s access groups', async () => {
    fake.when(calls.rewrite, rewriteReply('What do L3 engineers earn?', ['salary bands engineers L3']));
    fake.when(calls.answer, { content: "I couldn't find that in the docs." });
    const { agent, retriever } = makeAgent(fake);
    const reply = await agent.answer(ask('What do engineers at level L3 earn?'));

    expect(fake.bodies.map((b) => JSON.stringify(b.messages)).join()).not.toContain('70,000');
    expect(retriever.searches.every((s) => !s.options.accessGroups.includes('finance'))).toBe(true);
    expect(reply.grounding.verdict).toBe('unsupported');
    expect(reply.text).toMatch(/^I couldn't find that in the docs\./);
    expect(reply.citations.every((c) => c.source !== 'finance/salaries.md')).toBe(true);

    fake.reset();
    fake.when(calls.answer, { content: 'Engineers at level L3 earn between 70,000 and 90,000 euros a year [1].' });
    const finance = await agent.answer(ask('What do engineers at level L3 earn per year?', { accessGroups: ['finance'] }));
    expect(finance.citations[0]?.source).toBe('finance/salaries.md');
    expect(finance.grounding.verdict).toBe('supported');
  });

  it('retries an ungrounded draft once with new context, then declines plainly and lists the closest sources', async () => {
    fake.when(calls.answer, { content: 'Employees get 40 days of paid annual leave per year and a company car [1].' }, 1);
    fake.when(calls.answer, { content: 'Every employee also receives a company car and a gym membership [1].' }, 1);
    const { agent, retriever } = makeAgent(fake);
    const reply = await agent.answer(ask('How many days of paid annual leave do employees get per year?'));

    const answerCalls = fake.bodies.filter((b) => b.model === MAIN_MODEL);
    expect(answerCalls).toHaveLength(2);
    const feedback = messageText(answerCalls[1]?.messages.at(-1));
    expect(feedback).toContain('not supported by the sources');
    expect(feedback).toContain('40 days of paid annual leave');
    expect(answerCalls[1]?.tools).toBeUndefined();
    expect(retriever.searches.some((s) => s.query.includes('company car'))).toBe(true);

    expect(reply.text).toMatch(/^I couldn't find that in the docs\. The closest source/);
    expect(reply.text).not.toMatch(/company car|40 days/);
    expect(reply.grounding).toEqual({ verdict: 'unsupported', confidence: 0 });
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(reply.citations[0]?.source).toBe('hr/leave.md');
    expect(citationsConsistent(reply)).toBe(true);
  });

  it('keeps only the supported sentences when the retry still adds an unsupported one', async () => {
    fake.when(calls.answer, { content: 'Employees get 25 days of paid annual leave per calendar year [1]. Leave requests need two weeks notice [1].' }, 2);
    const { agent } = makeAgent(fake);
    const reply = await agent.answer(ask('How many days of paid annual leave do employees get per year?'));

    expect(reply.grounding.verdict).toBe('partial');
    expect(reply.text).toContain('25 days of paid annual leave per calendar year [1].');
    expect(reply.text).not.toContain('two weeks notice');
    expect(reply.text).toContain("I left out parts of my draft that the docs don't back up.");
    expect(citationsConsistent(reply)).toBe(true);
  });

  it('asks the fast model only about borderline sentences, in one call, and follows its judgement', async () => {
    fake.when(calls.answer, {
      content: 'Staff may roll 5 unused leave days into the following period [1]. You get 25 days of paid annual leave each calendar year [1].',
    }, 1);
    fake.when(calls.judge, { content: '{"supported": []}' });
    fake.when(calls.answer, { content: 'You get 25 days of paid annual leave each calendar year [1].' });
    const { agent } = makeAgent(fake);
    const reply = await agent.answer(ask('How many days of paid annual leave do employees get per year?'));

    const judged = fake.bodies.filter((b) => calls.judge(b));
    expect(judged).toHaveLength(1);
    const judgePrompt = messageText(judged[0]?.messages.at(-1));
    expect(judgePrompt).toContain('Statement 1: Staff may roll 5 unused leave days');
    expect(judgePrompt).not.toContain('Statement 2');
    expect(reply.text).toBe('You get 25 days of paid annual leave each calendar year [1].');
    expect(reply.grounding.verdict).toBe('supported');
  });

  it('cites an uncited sentence that one passage clearly backs instead of posting it bare', async () => {
    fake.when(calls.answer, { content: 'Parents receive 16 weeks of fully paid parental leave.' });
    const { agent } = makeAgent(fake);
    const reply = await agent.answer(ask('How many weeks of fully paid parental leave do parents receive?'));
    expect(reply.text).toBe('Parents receive 16 weeks of fully paid parental leave [1].');
    expect(reply.citations[0]?.source).toBe('hr/parental.md');
  });

  it('answers concurrent questions independently', async () => {
    fake.when(match.lastUserIncludes('meal allowance'), { content: 'The daily meal allowance on business trips is 40 euros [1].', delayMs: 60 });
    fake.when(match.lastUserIncludes('parental leave'), { content: 'Parents receive 16 weeks of fully paid parental leave [1].', delayMs: 20 });
    const { agent } = makeAgent(fake);
    const [meals, parental] = await Promise.all([
      agent.answer(ask('What is the daily meal allowance on business trips?', { threadId: 'A' })),
      agent.answer(ask('How many weeks of fully paid parental leave do parents receive?', { threadId: 'B' })),
    ]);
    expect(meals.citations.map((c) => c.source)).toEqual(['travel/expenses.md']);
    expect(parental.citations.map((c) => c.source)).toEqual(['hr/parental.md']);
    expect([meals.grounding.verdict, parental.grounding.verdict]).toEqual(['supported', 'supported']);
  });
});
