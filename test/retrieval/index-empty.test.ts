import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/agent/answer.js';
import { ChatService } from '../../src/chat/shared/chat-service.js';
import type { IncomingQuestion } from '../../src/chat/shared/types.js';
import type { Embedder } from '../../src/core/embedder.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/retrieval/embedded/index.js';
import { createHybridRetriever } from '../../src/retrieval/hybrid-retriever.js';
import { testConfig } from '../agent/helpers.js';
import { EMBEDDER, fixtureDoc, unitVector } from './embedded/fixtures.js';

/**
 * Issue 10 item 15, first bullet: with the index deleted, a question was answered "I couldn't find
 * that in the docs", as if the documents did not cover it. INDEX_EMPTY now says nothing is indexed.
 */

const logger = pino({ level: 'silent' });
const embedder: Embedder = { id: EMBEDDER.id, dimensions: EMBEDDER.dimensions, embedDocuments: async () => [], embedQuery: async () => unitVector(30) };
const question = (text: string, channelId = 'C1'): IncomingQuestion => ({ platform: 'slack', channelId, userId: 'U1', text, audience: { kind: 'conversation', channelId }, history: [] });

describe('a question to an index that holds nothing', () => {
  let dataDir = '';
  let store: EmbeddedStore | undefined;
  afterEach(async () => {
    await store?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is told that nothing is indexed once the index is deleted, but "not found" while documents exist', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-empty-'));
    store = await openEmbeddedStore({ dataDir, logger });
    for (let i = 0; i < 5; i++) await store.upsertDocument(fixtureDoc(i), EMBEDDER);
    const retriever = createHybridRetriever(store, embedder, null, { fusion: 'linear', denseWeight: 0.1, rrfK: 60 });
    const chat = new ChatService({
      answerer: createAgent({ config: testConfig(null), retriever, logger }),
      config: {
        access: { channels: { C1: ['public'], C2: ['hr'] }, users: {}, publicGroups: ['public'], webSearchWithPrivateGroups: false },
        limits: { maxQuestionChars: 500, ratePerMinute: 100, queueConcurrency: 1, queueMax: 10, attachmentMaxBytes: 5 * 1024 * 1024 },
      },
      logger,
    });

    const found = await chat.ask(question('alpha marker3'));
    expect(found).toMatchObject({ kind: 'answer', reply: { citations: expect.arrayContaining([expect.objectContaining({ chunkId: 'doc-3.md#0' })]) } });
    // Documents exist, just none this channel may read: that is "not in the docs".
    const hidden = await chat.ask(question('alpha marker3', 'C2'));
    expect(hidden).toMatchObject({ kind: 'answer', reply: { text: expect.stringContaining("I couldn't find that in the docs.") } });

    fs.rmSync(path.join(dataDir, 'index'), { recursive: true });
    const deleted = await chat.ask(question('alpha marker3'));
    expect(deleted).toMatchObject({ kind: 'notice', reason: 'unavailable', text: expect.stringMatching(/^Sorry — the document index \(nothing is indexed yet\) is unavailable right now/) });
    await expect(retriever.search('alpha', { k: 3, accessGroups: ['public'] })).rejects.toMatchObject({
      code: 'INDEX_EMPTY',
      message: expect.stringContaining('run `cairn ingest <folder>`'),
    });
  });
});
