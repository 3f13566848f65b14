import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeQdrant, type FakeQdrant } from '../../fakes/qdrant-server.js';

/** The fake is only worth its checks if it refuses what Qdrant refuses and scores as Qdrant scores. */
describe('fake Qdrant server', () => {
  let fake: FakeQdrant;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fake.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as { result?: unknown; status: unknown } };
  };
  const create = () =>
    call('PUT', '/collections/c', { vectors: { dense: { size: 2, distance: 'Cosine' } }, sparse_vectors: { bm25: { modifier: 'idf' } } });

  beforeEach(async () => {
    fake = await startFakeQdrant();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('refuses bodies that do not match the API schema, with a Qdrant-style error', async () => {
    const bad = await call('PUT', '/collections/c', { vectors: { dense: { size: 2, distance: 'cosine' } } });
    expect(bad.status).toBe(400);
    expect(bad.json.status).toEqual({ error: expect.stringContaining('Format error in JSON body') });
    await create();
    const mismatched = await call('PUT', '/collections/c/points?wait=true', { points: [{ id: 1, vector: { bm25: { indices: [1, 2], values: [1] } } }] });
    expect(mismatched.status).toBe(400);
    const prefetchPayload = await call('POST', '/collections/c/points/query', { prefetch: [{ query: [1, 0], using: 'dense', with_payload: true }], query: { fusion: 'rrf' } });
    expect(prefetchPayload.status).toBe(400);
    const badParam = await call('POST', '/collections/c/points/count?wiat=true', {});
    expect(badParam.status).toBe(400);
    const unknown = await call('POST', '/collections/c/points/recommend', {});
    expect(unknown.status).toBe(404);
    expect(fake.rejected.map((r) => r.reason.slice(0, 3))).toEqual(['400', '400', '400', '400', '404']);
  });

  it('refuses vectors of the wrong size or name', async () => {
    await create();
    expect((await call('PUT', '/collections/c/points', { points: [{ id: 1, vector: { dense: [1, 0, 0] } }] })).status).toBe(400);
    expect((await call('PUT', '/collections/c/points', { points: [{ id: 1, vector: { other: [1, 0] } }] })).status).toBe(400);
    expect((await call('PUT', '/collections/c/points', { points: [{ id: 'not-a-uuid', vector: { dense: [1, 0] } }] })).status).toBe(400);
  });

  it('scores sparse vectors with Qdrant IDF and fuses with Qdrant RRF', async () => {
    await create();
    const points = [
      { id: 1, vector: { dense: [1, 0], bm25: { indices: [7], values: [2] } } },
      { id: 2, vector: { dense: [0, 1], bm25: { indices: [7, 8], values: [1, 1] } } },
      { id: 3, vector: { dense: [1, 1], bm25: { indices: [9], values: [1] } } },
    ];
    await call('PUT', '/collections/c/points?wait=true', { points });
    const sparse = await call('POST', '/collections/c/points/query', { query: { indices: [7, 8], values: [1, 1] }, using: 'bm25' });
    const idf = (df: number) => Math.log((3 - df + 0.5) / (df + 0.5) + 1);
    expect(sparse.json.result).toEqual({
      points: [
        { id: 2, version: 1, score: expect.closeTo(idf(2) + idf(1), 9), payload: null },
        { id: 1, version: 1, score: expect.closeTo(2 * idf(2), 9), payload: null },
      ],
    });
    const fused = await call('POST', '/collections/c/points/query', {
      prefetch: [
        { query: [1, 0], using: 'dense', limit: 3 },
        { query: { indices: [7, 8], values: [1, 1] }, using: 'bm25', limit: 3 },
      ],
      query: { rrf: { k: 5, weights: [2, 1] } },
    });
    // Dense order 1, 3, 2; sparse order 2, 1. Score = Σ 1 / (k + (r + 1)/w − 1), r from 0.
    const s = (r: number, w: number) => 1 / (5 + (r + 1) / w - 1);
    const result = fused.json.result as { points: Array<{ id: number; score: number }> };
    expect(result.points.map((p) => p.id)).toEqual([1, 2, 3]);
    expect(result.points[0]!.score).toBeCloseTo(s(0, 2) + s(1, 1), 9);
    expect(result.points[1]!.score).toBeCloseTo(s(2, 2) + s(0, 1), 9);
  });

  it('swaps aliases atomically: a failing action leaves every alias as it was', async () => {
    await create();
    await call('POST', '/collections/aliases', { actions: [{ create_alias: { collection_name: 'c', alias_name: 'live' } }] });
    const res = await call('POST', '/collections/aliases', { actions: [{ delete_alias: { alias_name: 'live' } }, { create_alias: { collection_name: 'missing', alias_name: 'live' } }] });
    expect(res.status).toBe(404);
    expect(fake.aliases()).toEqual({ live: 'c' });
  });
});
