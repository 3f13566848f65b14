import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Launched } from '../../src/app/start.js';
import { loadConfig } from '../../src/config/config.js';
import type { Chunk } from '../../src/core/documents.js';
import type { DocumentWrite, IndexBuild } from '../../src/core/store.js';
import { EmbeddingServer } from '../embed/embedding-server.js';
import { eventEnvelope, sendEvent, startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { rng } from '../retrieval/embedded/fixtures.js';

const SECRET = 'rebuild-secret';
const DIMENSIONS = 64;
/** Big enough that sealing it (HNSW build, snapshot, term counts) takes far longer than answering one question. */
const CHUNKS = 20_000;
const CHUNKS_PER_DOC = 5;
const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as unknown as NodeJS.WritableStream };

/** Documents about the pager rotation, none of which the live index holds. */
function pagerDocs(): DocumentWrite[] {
  const next = rng(3);
  return Array.from({ length: CHUNKS / CHUNKS_PER_DOC }, (_, d) => {
    const docId = `rota/pager-${d}.md`;
    const chunks: Chunk[] = Array.from({ length: CHUNKS_PER_DOC }, (_, i) => ({
      id: `${docId}#${i}`, docId, source: docId, title: `Pager rota ${d}`, headingPath: [], chunkIndex: i, totalChunks: CHUNKS_PER_DOC,
      contentHash: `${d}-${i}`, accessGroup: 'public', text: `The pager rotation ${d} changes every Monday; part ${i}.`,
    }));
    return {
      document: { docId, source: docId, title: `Pager rota ${d}`, hash: `h${d}`, accessGroup: 'public' },
      chunks,
      vectors: chunks.map(() => Float32Array.from({ length: DIMENSIONS }, () => next() - 0.5)),
    };
  });
}

describe('a full re-index inside the running bot (embedded store, built on a worker thread)', () => {
  let dir = '';
  let fake: FakeSlack;
  let embeddings: EmbeddingServer;
  let app: Launched;
  let events = '';
  let ts = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-rebuild-'));
    await mkdir(path.join(dir, 'docs'));
    await writeFile(path.join(dir, 'docs/leave.md'), '---\ntitle: Leave policy\n---\n\n# Leave\n\nEmployees get 25 days of paid vacation leave each year. Vacation leave requests go to your manager.\n');
    fake = await startFakeSlack();
    embeddings = new EmbeddingServer();
    const embeddingUrl = await embeddings.start();
    const config = loadConfig({
      CAIRN_DATA_DIR: path.join(dir, 'data'), DOCS_DIR: path.join(dir, 'docs'), PORT: '0', LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl,
      EMBEDDER: 'openai', EMBEDDING_BASE_URL: `${embeddingUrl}/v1`, EMBEDDING_DIMENSIONS: String(DIMENSIONS),
    });
    app = await launch(config, io, { logger: pino({ level: 'silent' }) });
    events = `http://127.0.0.1:${app.port}/slack/events`;
  }, 120_000);

  afterAll(async () => {
    await app?.shutdown('test end');
    await embeddings?.stop();
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Sends an app_mention; resolves with the HTTP status of the ack and the final answer's blocks. */
  async function ask(text: string) {
    ts += 1;
    const thread = `1700000000.${String(ts).padStart(6, '0')}`;
    const { status } = await sendEvent(events, SECRET, eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@UBOT> ${text}`, ts: thread }));
    const final = () => fake.botMessages('C1').find((m) => m.thread_ts === thread && !m.blocks?.some((b) => b.block_id === 'cairn_progress'));
    await fake.waitFor(() => final() !== undefined, 30_000, `the answer to "${text}"`);
    return { status, answer: JSON.stringify(final()!.blocks) };
  }

  /** Resolves with whether `p` has settled, without waiting for it. */
  async function settled(p: Promise<unknown>): Promise<boolean> {
    return Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
  }

  it('acks a Slack event and answers from the old index while the new one is written and committed, then answers from the new one', async () => {
    const rt = app.cairn.runtime;
    const build: IndexBuild = await rt.store.beginRebuild({ id: rt.embedder.id, dimensions: rt.embedder.dimensions });
    const docs = pagerDocs();
    for (const doc of docs.slice(0, docs.length / 2)) await build.write(doc);

    const whileWriting = await ask('How many vacation leave days do we get?');
    expect(whileWriting.status).toBe(200);
    expect(whileWriting.answer).toContain('leave.md');

    for (const doc of docs.slice(docs.length / 2)) await build.write(doc);
    const commit = build.commit();
    const whileCommitting = await ask('How many vacation leave days do we get?');
    // Answered, from the old index, before the commit finished: the bot's event loop was free meanwhile.
    expect(await settled(commit)).toBe(false);
    expect(whileCommitting.status).toBe(200);
    expect(whileCommitting.answer).toContain('leave.md');
    expect(whileCommitting.answer).not.toContain('pager-');

    await commit;
    expect(await rt.store.info()).toMatchObject({ chunks: CHUNKS });
    const after = await ask('When does the pager rotation change?');
    expect(after.answer).toContain('pager-');
    expect(after.answer).not.toContain('leave.md');

    // The new graphs are served from the snapshot files the worker wrote, which cannot be written:
    // an update and a delete after the swap still reach dense search.
    const [updated, deleted] = [docs[0]!, docs[1]!];
    const moved = Float32Array.from({ length: DIMENSIONS }, (_, i) => (i === 0 ? 1 : 0));
    await rt.store.upsertDocument({ ...updated, document: { ...updated.document, hash: 'moved' }, vectors: updated.vectors.map(() => moved) }, rt.embedder);
    await rt.store.deleteDocuments([deleted.document.docId]);
    const near = (v: Float32Array) => rt.store.searchDense(v, 5).then((hits) => hits.map((h) => h.chunk.docId));
    expect(await near(moved)).toEqual(Array(5).fill(updated.document.docId));
    expect(await near(deleted.vectors[0]!)).not.toContain(deleted.document.docId);
    expect(await rt.store.info()).toMatchObject({ chunks: CHUNKS - CHUNKS_PER_DOC });
  }, 300_000);
});
