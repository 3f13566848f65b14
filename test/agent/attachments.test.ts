import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QUOTES_IN_DOCS_LANGUAGE } from '../../src/agent/answering/replies.js';
import { ATTACHMENT_SOURCE } from '../../src/core/answer.js';
import { FakeOpenAI, messageText, type ChatCompletionBody } from '../fakes/openai-server.js';
import { ask, calls, citationsConsistent, makeAgent, rewriteReply } from './helpers.js';

const LOG = { name: 'deploy.log', text: 'ERROR deploy: the upstream proxy timed out after 42 seconds while uploading the bundle.\n' };
const QUESTION = 'Why did my deploy fail, according to my log?';

/** The number the model was shown the attachment under, read from the prompt as a model would. */
function attachmentNumber(body: ChatCompletionBody): number {
  const all = body.messages.map(messageText).join('\n');
  return Number(/<<source \[(\d+)\] \w+>>\ntitle: Your attachment deploy\.log\nfrom: your attachment/.exec(all)?.[1]);
}

const promptOf = (body: ChatCompletionBody) => body.messages.map(messageText).join('\n');

describe('attachments: passages for one answer, cited as "your attachment"', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => fake.reset());

  it('with a model: the attachment is shown first among the sources and its citation says "your attachment", with no URL', async () => {
    fake.when(calls.rewrite, rewriteReply(QUESTION, ['deploy failure upstream timeout']));
    fake.when(calls.answer, (body) => ({ content: `The upstream proxy timed out after 42 seconds while uploading the bundle [${attachmentNumber(body)}].` }));
    const { agent, retriever } = makeAgent(fake);
    const reply = await agent.answer(ask(QUESTION, { attachments: [LOG] }));

    const answerCall = fake.requests.find((r) => r.body.model === 'main-model')!;
    expect(attachmentNumber(answerCall.body)).toBe(1);
    expect(reply.text).toBe('The upstream proxy timed out after 42 seconds while uploading the bundle [1].');
    expect(reply.citations).toEqual([{ n: 1, title: 'Your attachment deploy.log', source: ATTACHMENT_SOURCE, snippet: LOG.text.trim(), chunkId: 'attachment:deploy.log#0' }]);
    expect(citationsConsistent(reply)).toBe(true);
    expect(reply.grounding.verdict).toBe('supported');
    // The docs were searched with the question's words, never the attachment's.
    expect(retriever.searches.some((s) => s.query.includes('bundle'))).toBe(false);
  });

  it('without a model: the attachment is quoted ahead of the docs and cited as "your attachment"', async () => {
    const { agent } = makeAgent(null);
    const reply = await agent.answer(ask(QUESTION, { attachments: [LOG] }));
    expect(reply.mode).toBe('extractive');
    expect(reply.text).toContain('timed out after 42 seconds');
    expect(reply.citations[0]).toMatchObject({ n: 1, source: ATTACHMENT_SOURCE, title: 'Your attachment deploy.log' });
    expect(reply.citations[0]).not.toHaveProperty('url');
    expect(reply.citations[0]).not.toHaveProperty('accessGroup');
  });

  it('keeps the passages of a long attachment that bear on the question', async () => {
    const filler = Array.from({ length: 200 }, (_, i) => `INFO step ${i} finished in ${i} ms`).join('\n');
    const { agent } = makeAgent(null);
    const reply = await agent.answer(ask('Which step failed with a checksum mismatch?', {
      attachments: [{ name: 'build.log', text: `${filler}\nERROR step 201 failed: checksum mismatch on layer 7\n${filler}` }],
    }));
    expect(reply.text).toContain('checksum mismatch on layer 7');
  });
});

describe('replies in the asker’s language', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => fake.reset());

  it('with a model: the answer prompt asks for the question’s language, and the rewrite for an English query when the question is not in English', async () => {
    fake.when(calls.rewrite, rewriteReply('How many days of paid annual leave do I get?', ['annual leave days']));
    fake.when(calls.answer, { content: 'Vous avez droit à 25 jours de congés payés par an [1].' });
    const { agent, retriever } = makeAgent(fake);
    await agent.answer(ask('Combien de jours de congés payés ai-je par an ?'));

    const rewrite = fake.requests.find((r) => r.body.model === 'fast-model' && promptOf(r.body).includes('search queries'))!;
    expect(promptOf(rewrite.body)).toContain('make the first query an English search query');
    const answer = fake.requests.find((r) => r.body.model === 'main-model')!;
    expect(promptOf(answer.body)).toContain("Write the answer in the language of the user's question");
    // The English rewrite found the English page the French words could not.
    expect(retriever.searches.map((s) => s.query)).toContain('annual leave days');
  });

  it('with a model: an English question is not asked for an English query', async () => {
    fake.when(calls.rewrite, rewriteReply('How do I connect to the VPN?', ['VPN WireGuard profile']));
    fake.when(calls.answer, { content: 'Install WireGuard and import the profile from the IT portal [1].' });
    const { agent } = makeAgent(fake);
    await agent.answer(ask('I am at home and the dashboards will not load, what do I do?'));
    const rewrite = fake.requests.find((r) => r.body.model === 'fast-model' && promptOf(r.body).includes('search queries'))!;
    expect(promptOf(rewrite.body)).not.toContain('English search query');
  });

  it('without a model: a question in another language is told, in English, that the docs are quoted as written', async () => {
    const { agent } = makeAgent(null);
    const foreign = await agent.answer(ask('¿Cuántos días de annual leave tengo por año?'));
    expect(foreign.text).toContain(QUOTES_IN_DOCS_LANGUAGE);
    const english = await agent.answer(ask('How many days of paid annual leave do employees get?'));
    expect(english.text).not.toContain(QUOTES_IN_DOCS_LANGUAGE);
  });
});
