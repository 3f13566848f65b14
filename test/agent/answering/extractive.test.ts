import { describe, expect, it } from 'vitest';
import { extractiveAnswer, inThread } from '../../../src/agent/answering/extractive.js';
import { DEFAULT_AGENT_OPTIONS } from '../../../src/agent/graph/configuration.js';
import { RunMeter } from '../../../src/agent/llm/meter.js';
import { NO_LLM } from '../../../src/agent/answering/replies.js';
import type { SearchHit } from '../../../src/core/search.js';
import { ask, chunk, InTestRetriever } from '../helpers.js';

const RECEIVER = [
  'A receiver parses requests from Slack and hands them to the app.',
  '',
  'Receivers must implement these methods:',
  '',
  '| Method | Parameters | Return type |',
  '| --- | --- | --- |',
  '| `init()` | `app: App` | `unknown` |',
  '| `start()` | None | `Promise` |',
  '| `stop()` | None | `Promise` |',
].join('\n');
const LOGGING = ['Set the log level in the App constructor:', '', '```js', 'const app = new App({', '  logLevel: LogLevel.DEBUG,', '});', '```'].join('\n');
const LEVELS = ['The log levels, from most to least verbose, are:', '- `DEBUG`', '- `INFO` (the default)', '- `WARN`', '- `ERROR`'].join('\n');

function answer(question: string, hits: SearchHit[]) {
  const retriever = { search: async () => hits };
  return extractiveAnswer(ask(question), { retriever, options: DEFAULT_AGENT_OPTIONS }, { meter: new RunMeter(), progress: () => undefined }, NO_LLM);
}

describe('extractive answers quote pieces as the source wrote them', () => {
  it('keeps a table row under its header, a list and a code block whole, and cites every piece', async () => {
    const reply = await answer('Which log levels can I set in the App constructor, and what is the default?', [
      { chunk: chunk('logging.md', 'Logging', LOGGING), score: 0.9 },
      { chunk: chunk('levels.md', 'Log levels', LEVELS), score: 0.8 },
    ]);
    expect(reply.text).toContain(`${LEVELS} [`);
    expect(reply.text).toContain('```js\nconst app = new App({\n  logLevel: LogLevel.DEBUG,\n});\n```');
    const pieces = reply.text.split('\n\n').slice(1);
    expect(reply.citations.map((c) => c.source).sort()).toEqual(['levels.md', 'logging.md']);
    for (const n of reply.citations.map((c) => c.n)) expect(reply.text).toContain(`[${n}]`);
    expect(pieces.join('\n\n').length).toBeLessThan(DEFAULT_AGENT_OPTIONS.extractiveChars + 20);

    const table = await answer('What does the stop method of a receiver return?', [{ chunk: chunk('receiver.md', 'Receivers', RECEIVER), score: 1 }]);
    expect(table.text).toContain('Receivers must implement these methods: [1]\n\n| Method | Parameters | Return type |\n| --- | --- | --- |\n| `stop()` | None | `Promise` |');
    expect(table.citations).toEqual([expect.objectContaining({ n: 1, source: 'receiver.md' })]);
  });

  it('declines with the three closest sources when the docs never name what is asked', async () => {
    // Two passages of a.md: the closest sources are three different pages.
    const hits = ['a', 'a', 'b', 'c', 'd'].map((id, i) => ({ chunk: chunk(`${id}.md`, `Deploying ${id}`, 'Deploy the app to Heroku with git push.', 'public', i), score: 1 - i / 10 }));
    const reply = await answer('How do I deploy the app to Azure Functions?', hits);
    expect(reply.text).toBe("No language model is configured. I couldn't find that in the docs. The closest sources I found: [1], [2] and [3].");
    expect(reply.citations.map((c) => c.source)).toEqual(['a.md', 'b.md', 'c.md']);
    expect(reply.grounding.verdict).toBe('unsupported');
  });

  it('searches a follow-up that refers back together with the asker\'s previous question, and each part of a question apart', async () => {
    expect(inThread('do I still have to ack those?', [
      { role: 'user', text: 'How do I listen for slash commands?' },
      { role: 'assistant', text: 'Use app.command().' },
    ])).toBe('How do I listen for slash commands? do I still have to ack those?');
    expect(inThread('How do I listen for slash commands?', [])).toBe('How do I listen for slash commands?');
    // A new topic in the same DM or terminal chat is searched on its own.
    expect(inThread('How do I set the log level?', [{ role: 'user', text: 'How do I open a modal?' }])).toBe('How do I set the log level?');

    const commands = chunk('commands.md', 'Commands', 'Listen for slash commands with app.command(). Commands must be acknowledged with ack().');
    const modals = chunk('modals.md', 'Modals', 'Open a modal with views.open and a trigger_id.');
    const retriever = new InTestRetriever([commands, modals]);
    const run = { meter: new RunMeter(), progress: () => undefined };
    const followUp = ask('ok and do I still have to ack those?', { history: [{ role: 'user', text: 'How do I listen for slash commands?' }] });
    const reply = await extractiveAnswer(followUp, { retriever, options: DEFAULT_AGENT_OPTIONS }, run, NO_LLM);
    expect(retriever.searches.map((s) => s.query)).toEqual(['How do I listen for slash commands? ok and do I still have to ack those?']);
    expect(reply.citations.map((c) => c.source)).toContain('commands.md');

    const twoParts = ask('How do I listen for slash commands, and how do I open a modal with views.open?');
    await extractiveAnswer(twoParts, { retriever, options: DEFAULT_AGENT_OPTIONS }, run, NO_LLM);
    expect(retriever.searches.slice(1).map((s) => s.query)).toEqual([twoParts.question, 'How do I listen for slash commands', 'how do I open a modal with views.open?']);
  });
});
