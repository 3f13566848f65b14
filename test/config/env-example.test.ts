import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from '../../src/config/schema.js';

describe('.env.example', () => {
  it('documents exactly the variables the config reads', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(EnvSchema.shape).sort());
  });
});

describe('.env.example copied as .env', () => {
  it('loads as the defaults: blank values count as unset', async () => {
    const { loadConfig } = await import('../../src/config/config.js');
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const env = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(loadConfig(env, '/srv')).toEqual(loadConfig({}, '/srv'));
  });
});
