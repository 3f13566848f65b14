import { AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAI, match } from '../fakes/openai-server.js';

/** The fake must look like OpenAI to the real client, or every agent test proves nothing. */
describe('FakeOpenAI with the real ChatOpenAI client', () => {
  let fake: FakeOpenAI;
  // streaming stays off in the constructor: invoke() with streaming on counts tokens with tiktoken,
  // which downloads its encoding on first use. Streaming goes through stream() instead.
  const model = () =>
    new ChatOpenAI({ model: 'fake-model', apiKey: 'test', configuration: { baseURL: fake.baseURL }, maxRetries: 0 });

  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => fake.reset());

  it('plays queued content with usage, and records the request', async () => {
    fake.enqueue({ content: 'Hello there.', usage: { promptTokens: 11, completionTokens: 3 } });
    const reply = await model().invoke([new HumanMessage('hi')]);
    expect(reply.content).toBe('Hello there.');
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 11, output_tokens: 3 });
    expect(fake.bodies[0]?.messages.at(-1)).toMatchObject({ role: 'user', content: 'hi' });
  });

  it('streams content in several deltas and reports usage at the end', async () => {
    fake.enqueue({ content: 'A streamed answer that spans several chunks.' });
    const deltas: string[] = [];
    let full: AIMessageChunk | undefined;
    for await (const chunk of await model().stream([new HumanMessage('go')])) {
      if (typeof chunk.content === 'string' && chunk.content) deltas.push(chunk.content);
      full = full ? full.concat(chunk) : chunk;
    }
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('A streamed answer that spans several chunks.');
    expect(full?.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(fake.bodies[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it.each([false, true])('returns tool calls (streaming %s)', async (streaming) => {
    fake.enqueue({ toolCalls: [{ name: 'search_docs', arguments: { query: 'leave policy' } }] });
    const bound = model().bindTools([
      { type: 'function', function: { name: 'search_docs', description: 'search', parameters: { type: 'object', properties: { query: { type: 'string' } } } } },
    ]);
    let reply: AIMessageChunk | undefined;
    if (streaming) {
      for await (const chunk of await bound.stream([new HumanMessage('how much leave?')])) reply = reply ? reply.concat(chunk) : chunk;
    } else {
      reply = await bound.invoke([new HumanMessage('how much leave?')]);
    }
    expect(reply?.tool_calls).toEqual([expect.objectContaining({ name: 'search_docs', args: { query: 'leave policy' } })]);
    expect(fake.bodies[0]?.tools?.[0]?.function.name).toBe('search_docs');
  });

  it('answers by matcher before the queue, and fails loudly when the script runs out', async () => {
    fake.enqueue({ content: 'from the queue' });
    fake.when(match.lastUserIncludes('marker-42'), { content: 'from the rule' }, 1);
    expect((await model().invoke([new HumanMessage('has marker-42')])).content).toBe('from the rule');
    expect((await model().invoke([new HumanMessage('has marker-42')])).content).toBe('from the queue');
    await expect(model().invoke([new HumanMessage('nothing left')])).rejects.toThrow(/no scripted reply/);
  });

  it('sends scripted HTTP errors and delays past the client timeout', async () => {
    fake.enqueue({ status: 503, errorMessage: 'overloaded' });
    await expect(model().invoke([new HumanMessage('x')])).rejects.toThrow(/overloaded/);
    fake.enqueue({ content: 'too late', delayMs: 2000 });
    const slow = new ChatOpenAI({ model: 'm', apiKey: 't', configuration: { baseURL: fake.baseURL }, timeout: 150, maxRetries: 0 });
    const started = Date.now();
    await expect(slow.invoke([new HumanMessage('x')])).rejects.toThrow(/time/i);
    expect(Date.now() - started).toBeLessThan(1500);
    fake.enqueue({ hangUp: true });
    await expect(model().invoke([new HumanMessage('x')])).rejects.toThrow(/connection/i);
  });

  it('fails mid-reply: a stream that stalls after its first chunk, one that is cut, and a server that never answers', async () => {
    const received: string[] = [];
    const consume = async (signal: AbortSignal) => {
      for await (const chunk of await model().stream([new HumanMessage('x')], { signal })) received.push(String(chunk.content));
    };
    fake.enqueue({ content: 'Never finished.', afterChunks: 2 });
    const started = Date.now();
    await expect(consume(AbortSignal.timeout(300))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(received.join('')).toBe('Never finished.'.slice(0, 12));

    fake.enqueue({ content: 'Cut short.', afterChunks: 1, hangUp: true });
    await expect(consume(AbortSignal.timeout(5000))).rejects.toThrow(/terminated/);

    fake.enqueue({ neverAnswer: true });
    const waited = Date.now();
    await expect(model().invoke([new HumanMessage('x')], { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - waited).toBeGreaterThanOrEqual(250);
    expect(fake.requests).toHaveLength(3);
  });
});
