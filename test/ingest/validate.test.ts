import { describe, expect, it } from 'vitest';
import { isInputRejected } from '../../src/ingest/failures.js';
import { decodeText, formatBytes } from '../../src/ingest/validate.js';

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return isInputRejected(err) ? err.reason : 'other error';
  }
};

describe('validate', () => {
  it('formats sizes the way the skip message shows them', () => {
    expect(formatBytes(32_715_571)).toBe('31.2 MB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(800)).toBe('800 bytes');
  });

  it('decodes UTF-8 (dropping a BOM) and rejects NUL bytes and other encodings', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Café ✓')]))).toBe('Café ✓');
    expect(reasonOf(() => decodeText(new Uint8Array([0x43, 0x61, 0x66, 0xe9])))).toBe('not_utf8');
    expect(reasonOf(() => decodeText(new Uint8Array([0xff, 0xfe, 0x41, 0x00])))).toBe('binary');
    const lateNul = new Uint8Array(9000).fill(0x61);
    lateNul[8500] = 0;
    expect(reasonOf(() => decodeText(lateNul))).toBe('accepted');
  });
});
