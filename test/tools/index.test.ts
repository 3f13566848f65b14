import { describe, expect, it } from 'vitest';
import { createTools } from '../../src/tools/index.js';

describe('createTools', () => {
  it('offers calculator and run_code, and no web_search when no provider is configured', () => {
    expect(createTools({ webSearch: { provider: 'none' } }).map((t) => t.name)).toEqual(['calculator', 'run_code']);
  });

  it('adds web_search when a provider is configured', () => {
    const tools = createTools({ webSearch: { provider: 'searxng', searxngUrl: 'http://127.0.0.1:9' } });
    expect(tools.map((t) => t.name)).toEqual(['calculator', 'run_code', 'web_search']);
  });

  it('leaves run_code out when no language is configured, and offers only the configured ones', () => {
    expect(createTools({ webSearch: { provider: 'none' }, runCode: { languages: [] } }).map((t) => t.name)).toEqual(['calculator']);
    const [, runCode] = createTools({ webSearch: { provider: 'none' }, runCode: { languages: ['python'] } });
    expect(runCode?.description).toMatch(/python: CPython/);
    expect(runCode?.description).not.toMatch(/javascript:/);
  });
});
