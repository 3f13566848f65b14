import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderReply } from '../../src/chat/terminal/render.js';
import { answerText } from '../../src/chat/discord/render/outcome.js';
import { renderAnswer } from '../../src/chat/slack/render/blocks.js';
import type { Embedder } from '../../src/core/embedder.js';
import type { RetrieveOptions } from '../../src/core/retriever.js';
import type { SearchHit } from '../../src/core/search.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/retrieval/embedded/index.js';
import { createHybridRetriever } from '../../src/retrieval/hybrid-retriever.js';
import { FakeOpenAI } from '../fakes/openai-server.js';
import { EMBEDDER } from '../retrieval/embedded/fixtures.js';
import { indexFiles, manyChunkDoc } from '../retrieval/embedded/helpers.js';
import { ask, calls, InTestRetriever, makeAgent, silentLogger } from './helpers.js';

/**
 * While the HNSW index is rebuilt from SQLite in a service, answers come from keyword search and
 * say so (issue 18 item 3: "the bot keeps answering, sparse-only with a visible caveat").
 */

const DOCS = [0, 1, 2].map((d) => manyChunkDoc(`part-${d}.md`, 500, { seed: d + 1 }));
const NOTE = /Keyword search only while the index is rebuilt/;

/** Embeds a query as the vector of the chunk it names ("part-1.md section 7" → that chunk's vector). */
const embedder: Embedder = {
  id: EMBEDDER.id,
  dimensions: EMBEDDER.dimensions,
  embedDocuments: async () => [],
  embedQuery: async (text) => {
    const m = /part-(\d)\.md section (\d+)/.exec(text);
    return DOCS[Number(m?.[1] ?? 0)]!.vectors[Number(m?.[2] ?? 0)]!;
  },
};

describe('answers while the HNSW index is being rebuilt', () => {
  let dataDir: string;
  let store: EmbeddedStore;
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('quote keyword search results with a caveat on every surface, then answer normally once it is rebuilt', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-keyword-only-'));
    const writer = await openEmbeddedStore({ dataDir, logger: silentLogger });
    for (const doc of DOCS) await writer.upsertDocument(doc, EMBEDDER);
    await writer.close();
    const files = indexFiles(dataDir);
    for (const s of files.snapshots()) fs.rmSync(path.join(files.genDir(), s), { recursive: true });

    store = await openEmbeddedStore({ dataDir, logger: silentLogger, denseRebuild: 'background' });
    const retriever = createHybridRetriever(store, embedder, null, { fusion: 'linear', denseWeight: 0.1, rrfK: 60 });
    const { agent } = makeAgent(null, { retriever });
    const during = await agent.answer(ask('part-1.md section 7 seed2'));
    expect(during.keywordOnly).toBe(true);
    expect(during.citations[0]?.chunkId).toBe('part-1.md#7');
    expect(renderReply(during)).toMatch(NOTE);
    expect(answerText(during)).toMatch(NOTE);
    expect(JSON.stringify(renderAnswer(during, 'r1'))).toMatch(NOTE);

    await vi.waitFor(() => expect(store.denseAvailable()).toBe(true), { timeout: 20_000, interval: 20 });
    const after = await agent.answer(ask('part-1.md section 7 seed2'));
    expect(after.keywordOnly).toBeUndefined();
    expect(renderReply(after)).not.toMatch(NOTE);
  });
});

describe('the agent marks a reply keyword-only when any of its searches was', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => { fake = await FakeOpenAI.start(); });
  afterAll(async () => { await fake.close(); });

  class KeywordOnlyRetriever extends InTestRetriever {
    override async search(query: string, options: RetrieveOptions): Promise<SearchHit[]> {
      options.onKeywordOnly?.();
      return super.search(query, options);
    }
  }

  it('with a language model, and not when the searches used the dense index', async () => {
    fake.reset();
    fake.when(calls.answer, { content: 'Employees get 25 days of paid annual leave per calendar year [1].' });
    const question = ask('How many days of paid annual leave do employees get per year?');
    const degraded = await makeAgent(fake, { retriever: new KeywordOnlyRetriever() }).agent.answer(question);
    expect(degraded).toMatchObject({ mode: 'agent', keywordOnly: true });
    const normal = await makeAgent(fake).agent.answer(question);
    expect(normal.mode).toBe('agent');
    expect(normal.keywordOnly).toBeUndefined();
  });
});
