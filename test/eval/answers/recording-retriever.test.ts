import { describe, expect, it } from 'vitest';
import type { RetrieveOptions, Retriever } from '../../../src/core/retriever.js';
import type { SearchHit } from '../../../src/core/search.js';
import { RecordingRetriever } from '../../../src/eval/answers/recording-retriever.js';

function hit(id: string): SearchHit {
  return { score: 1, chunk: { id, docId: id.split('#')[0]!, source: id, title: id, headingPath: [], chunkIndex: 0, totalChunks: 1, contentHash: id, accessGroup: 'public', text: id } };
}

/** Answers each query with its scripted list, the first query last (as a slow search would). */
class SlowFirst implements Retriever {
  private calls = 0;
  constructor(private readonly lists: Record<string, string[]>) {}
  async search(query: string, _options: RetrieveOptions): Promise<SearchHit[]> {
    const delay = this.calls++ === 0 ? 30 : 0;
    await new Promise((r) => setTimeout(r, delay));
    return (this.lists[query] ?? []).map(hit);
  }
}

describe('RecordingRetriever', () => {
  it('fuses every search of a question in the order made, keeps the top k plus cited passages ranked lower, and starts afresh', async () => {
    const recorder = new RecordingRetriever(new SlowFirst({ q: ['a#0', 'b#0', 'c#0'], r: ['b#0', 'd#0', 'e#0'] }));
    const opts = { k: 3, accessGroups: ['public'] };
    await Promise.all([recorder.search('q', opts), recorder.search('r', opts)]);
    // b is in both lists; c and e tie (third in one list each) and c's search was made first.
    expect(recorder.take(5, []).map((h) => h.chunk.id)).toEqual(['b#0', 'a#0', 'd#0', 'c#0', 'e#0']);
    expect(recorder.take(5, [])).toEqual([]);
    await Promise.all([recorder.search('q', opts), recorder.search('r', opts)]);
    expect(recorder.take(2, ['e#0']).map((h) => h.chunk.id)).toEqual(['b#0', 'a#0', 'e#0']);
  });
});
