import { describe, expect, it } from 'vitest';
import { pointId, sourceFilter, sourcePrefixes, toChunk, toQdrantFilter } from '../../../src/retrieval/qdrant/points.js';

describe('Qdrant point mapping', () => {
  it('derives a stable version-5 UUID per chunk id', () => {
    expect(pointId('hr/leave.md#0')).toBe(pointId('hr/leave.md#0'));
    expect(pointId('hr/leave.md#0')).not.toBe(pointId('hr/leave.md#1'));
    expect(pointId('hr/leave.md#0')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lists every ancestor folder of a source', () => {
    expect(sourcePrefixes('docs/hr/leave.md')).toEqual(['docs', 'docs/hr']);
    expect(sourcePrefixes('/srv/docs/a.md')).toEqual(['/srv', '/srv/docs']);
    expect(sourcePrefixes('leave.md')).toEqual([]);
    expect(sourcePrefixes('https://wiki.example/hr/leave')).toEqual(['https:', 'https://wiki.example', 'https://wiki.example/hr']);
  });

  it('matches a source or a folder, ignoring a trailing slash', () => {
    expect(sourceFilter('docs/hr/')).toEqual({
      should: [{ key: 'source', match: { value: 'docs/hr' } }, { key: 'sourcePrefixes', match: { value: 'docs/hr' } }],
    });
  });

  it('translates search filters, with null for an empty allow-list', () => {
    expect(toQdrantFilter(undefined)).toBeUndefined();
    expect(toQdrantFilter({})).toBeUndefined();
    expect(toQdrantFilter({ accessGroups: [] })).toBeNull();
    expect(toQdrantFilter({ accessGroups: ['a'], sources: [] })).toBeNull();
    expect(toQdrantFilter({ accessGroups: ['a', 'b'] })).toEqual({ must: [{ key: 'accessGroup', match: { any: ['a', 'b'] } }] });
  });

  it('reads a chunk back from its payload and refuses a foreign payload', () => {
    const chunk = { id: 'd#0', docId: 'd', source: 's', title: 't', headingPath: [], chunkIndex: 0, totalChunks: 1, contentHash: 'c', accessGroup: 'g', text: 'x' };
    expect(toChunk({ ...chunk, document: {}, sourcePrefixes: [] })).toEqual(chunk);
    expect(toChunk({ ...chunk, url: 'https://u' })).toEqual({ ...chunk, url: 'https://u' });
    expect(() => toChunk({ text: 'x' })).toThrow(/full re-index/);
  });
});
