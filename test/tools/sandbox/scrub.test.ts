import { describe, expect, it } from 'vitest';
import { scrubHostDetails } from '../../../src/tools/sandbox/scrub.js';

describe('scrubHostDetails', () => {
  it('removes absolute paths, file URLs, node_modules locations and stack frames', () => {
    const text = [
      "Error: ENOENT: no such file or directory, open '/work/main/.env'",
      '    at Object.openSync (node:fs:573:18)',
      '    at run (/work/main/src/tools/sandbox/child.ts:12:3)',
      'loaded from file:///work/main/node_modules/quickjs-emscripten/dist/index.js',
      'see C:\\Users\\bot\\cairn\\x.js',
    ].join('\n');
    const scrubbed = scrubHostDetails(text);
    expect(scrubbed).not.toMatch(/\/work|node_modules|file:|Users|\bat\s/);
    expect(scrubbed).toContain('Error: ENOENT: no such file or directory');
  });

  it('leaves ordinary error text alone', () => {
    expect(scrubHostDetails("TypeError: cannot read property 'x' of undefined")).toBe("TypeError: cannot read property 'x' of undefined");
  });
});
