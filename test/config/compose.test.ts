import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { refuseEmbeddedStoreAcrossReplicas } from '../../src/app/shared-state.js';
import { loadConfig } from '../../src/config/config.js';
import { EnvSchema } from '../../src/config/schema.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

interface Service {
  build?: string;
  environment?: Record<string, string>;
  deploy?: { replicas?: string | number };
}
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const replicas = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

/** What compose hands the container when the shell sets nothing: `${X:-default}` → default. */
const interpolated = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')]));

describe('compose.yaml', () => {
  it('builds Cairn from this repository and runs several replicas of it', () => {
    expect(replicas.map(([name]) => name)).toEqual(['cairn']);
    expect(String(replicas[0]![1].deploy?.replicas)).toMatch(/^\$\{CAIRN_REPLICAS:-[2-9]\}$/);
    expect(Object.keys(compose.services).sort()).toEqual(['cairn', 'lb', 'postgres', 'qdrant', 'redis']);
  });

  it('sets only variables the config schema reads', () => {
    const known = new Set(Object.keys(EnvSchema.shape));
    const unknown = replicas.flatMap(([, s]) => Object.keys(s.environment ?? {})).filter((k) => !known.has(k));
    expect(unknown).toEqual([]);
  });

  it('gives each replica a configuration that loads and that a replica may start with', () => {
    const config = loadConfig(interpolated(replicas[0]![1].environment!), '/app');
    expect(config.store.kind).toBe('qdrant');
    expect(config.shared.redisUrl).toBe('redis://redis:6379');
    expect(config.shared.databaseUrl).toMatch(/^postgres:\/\/cairn:cairn@postgres:5432\/cairn$/);
    expect(config.server.host).toBe('0.0.0.0');
    expect(() => refuseEmbeddedStoreAcrossReplicas(config)).not.toThrow();
  });

  it('balances over the replicas on the port they listen on', () => {
    const port = replicas[0]![1].environment!.PORT;
    expect(read('deploy/nginx.conf')).toMatch(new RegExp(`server cairn:${port};`));
  });
});

describe('Dockerfile', () => {
  it('sets only variables the config schema reads', () => {
    const known = new Set(Object.keys(EnvSchema.shape).concat('NODE_ENV'));
    const set = [...read('Dockerfile').matchAll(/^ENV (.+)$/gm)].flatMap((m) => [...m[1]!.matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((v) => v[1]!));
    expect(set.length).toBeGreaterThan(0);
    expect(set.filter((k) => !known.has(k))).toEqual([]);
  });
});
