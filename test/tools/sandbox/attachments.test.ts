import { describe, expect, it } from 'vitest';
import { isCairnError } from '../../../src/core/errors.js';
import { MAX_ATTACHMENT_BYTES, sandboxFiles, toSandboxFile } from '../../../src/tools/sandbox/attachments.js';

const text = (s: string) => new TextEncoder().encode(s);

function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isCairnError(err, 'INPUT')) return err.message;
    throw err;
  }
  throw new Error('expected an INPUT error');
}

describe('sandbox attachments', () => {
  it('keeps a text file under its plain name', () => {
    expect(toSandboxFile('/home/ana/reports/sales q3.csv', text('a,b\n1,2\n'))).toEqual({ name: 'sales_q3.csv', content: 'a,b\n1,2\n' });
  });

  it('cannot name a path outside /data', () => {
    expect(toSandboxFile('../../etc/passwd', text('x')).name).toBe('passwd');
    expect(toSandboxFile('..', text('x')).name).toBe('_');
  });

  it('refuses binary and non-UTF-8 files, and oversized ones, naming the file', () => {
    expect(inputError(() => toSandboxFile('photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0])))).toMatch(/photo\.png is not a UTF-8 text file/);
    expect(inputError(() => toSandboxFile('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9])))).toMatch(/latin1\.txt is not a UTF-8 text file/);
    expect(inputError(() => toSandboxFile('big.csv', new Uint8Array(MAX_ATTACHMENT_BYTES + 1).fill(0x61)))).toMatch(/big\.csv is 2\.0 MB; files for run_code may be at most 2 MB/);
  });

  it('refuses too many files and two with one name', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, bytes: text('x') }));
    expect(inputError(() => sandboxFiles(six))).toMatch(/At most 5 files/);
    expect(inputError(() => sandboxFiles([{ name: 'a/x.csv', bytes: text('1') }, { name: 'b/x.csv', bytes: text('2') }]))).toMatch(/both named x\.csv/);
  });
});
