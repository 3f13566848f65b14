import { afterAll, describe, expect, it } from 'vitest';
import { SentenceEncoderEmbedder } from '../../src/embed/sentence-encoder.js';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);

// Real model, real worker thread: loading takes ~0.5 s and each text ~100 ms on two cores.
describe('SentenceEncoderEmbedder (USE lite from the local npm package, in a worker thread)', () => {
  const embedder = new SentenceEncoderEmbedder({ batchSize: 2 });
  afterAll(async () => {
    await embedder.close();
  });

  it('names the model version and its 512 dimensions', () => {
    expect(embedder.id).toMatch(/^use-lite-512@\d+\.\d+\.\d+$/);
    expect(embedder.dimensions).toBe(512);
  });

  it('embeds offline into unit vectors, in batches, while the main thread keeps running', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    const progress: number[] = [];
    // The worker refuses fetch(), so this only passes if nothing is downloaded.
    const [cat, kitten, tax] = await embedder.embedDocuments(
      ['The cat sat on the mat.', 'A kitten was sitting on the rug.', 'File your quarterly tax return by April.'],
      (done) => progress.push(done),
    );
    const elapsed = performance.now() - started;
    clearInterval(timer);

    expect(progress).toEqual([2, 3]);
    for (const v of [cat, kitten, tax]) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(512);
      expect(Math.hypot(...(v as Float32Array))).toBeCloseTo(1, 4);
    }
    expect(dot(cat!, kitten!)).toBeGreaterThan(dot(cat!, tax!) + 0.1);
    // A blocked event loop would let at most one tick through; a free one ticks about every 10 ms.
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
  });

  it('gives the same vector for the same text every time', async () => {
    const a = await embedder.embedQuery('The cat sat on the mat.');
    const b = await embedder.embedQuery('The cat sat on the mat.');
    const [c] = await embedder.embedDocuments(['The cat sat on the mat.']);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c!)).toEqual(Array.from(a));
  });

  it('rejects a request that is waiting for the model when closed, and every request after', async () => {
    const other = new SentenceEncoderEmbedder();
    const waiting = other.embedQuery('never embedded');
    await other.close();
    await expect(waiting).rejects.toMatchObject({ code: 'EMBEDDER_UNAVAILABLE', message: expect.stringMatching(/closed/) });
    await expect(other.embedDocuments(['x'])).rejects.toMatchObject({ code: 'EMBEDDER_UNAVAILABLE' });
    await other.close();
  });
});
