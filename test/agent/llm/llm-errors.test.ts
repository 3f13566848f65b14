import { HumanMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLlmError } from '../../../src/agent/llm/llm-errors.js';
import { CairnError, isCairnError } from '../../../src/core/errors.js';
import { FakeOpenAI } from '../../fakes/openai-server.js';

const ENDPOINT = { endpoint: 'http://llm.internal:8000/v1', timeoutMs: 30_000, idleTimeoutMs: 10_000 };

/** What the real client throws for a scripted reply. */
async function thrown(fake: FakeOpenAI, reply: Parameters<FakeOpenAI['enqueue']>[0]): Promise<unknown> {
  fake.enqueue(reply);
  const model = new ChatOpenAI({ model: 'm', apiKey: 't', configuration: { baseURL: fake.baseURL }, maxRetries: 0 });
  return model.invoke([new HumanMessage('x')]).then(() => null, (err: unknown) => err);
}

describe('toLlmError: what the operator and the user are told', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });

  it('HTTP 429 says the server is rate-limiting or overloaded and where to look, not to check that it is up', async () => {
    const err = toLlmError(await thrown(fake, { status: 429, errorMessage: 'Rate limit reached for requests' }), ENDPOINT) as CairnError;
    expect(err.code).toBe('LLM_UNAVAILABLE');
    expect(err.message).toBe(
      "The language model at http://llm.internal:8000/v1 answered HTTP 429: it is rate-limiting Cairn or overloaded. Check the server's load and the account's rate limits and quota; lower QUEUE_CONCURRENCY to send fewer calls at once.",
    );
    expect(err.userMessage).toBe('The language model is unavailable right now (it is overloaded).');
  });

  it('HTTP 429 for an account out of credit says so', () => {
    const err = toLlmError(Object.assign(new Error('You exceeded your current quota'), { status: 429, code: 'insufficient_quota' }), ENDPOINT) as CairnError;
    expect(err.message).toMatch(/out of quota\. Check the account's plan and billing\.$/);
  });

  it('HTTP 5xx says the server is failing, since it is evidently up', async () => {
    const err = toLlmError(await thrown(fake, { status: 500, errorMessage: 'boom' }), ENDPOINT) as CairnError;
    expect(err.message).toMatch(/answered HTTP 500\. The server is failing: check its logs\.$/);
  });

  it('a connection broken mid-reply (undici "terminated", ECONNRESET) is LLM_UNAVAILABLE', () => {
    const terminated = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { name: 'SocketError', code: 'UND_ERR_SOCKET' }) });
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const bodyTimeout = new TypeError('terminated', { cause: Object.assign(new Error('Body Timeout Error'), { name: 'BodyTimeoutError', code: 'UND_ERR_BODY_TIMEOUT' }) });
    for (const err of [terminated, reset, bodyTimeout]) {
      const mapped = toLlmError(err, ENDPOINT);
      expect(isCairnError(mapped, 'LLM_UNAVAILABLE')).toBe(true);
      expect((mapped as CairnError).userMessage).toBe('The language model is unavailable right now (it dropped the connection).');
    }
  });

  it('anything else (a bug in how the call was built) is returned as is', () => {
    const bug = new TypeError('Cannot read properties of undefined');
    expect(toLlmError(bug, ENDPOINT)).toBe(bug);
  });
});
