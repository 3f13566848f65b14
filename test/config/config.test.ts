import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSISTANT_PROMPTS, loadConfig } from '../../src/config/config.js';
import { readableGroups } from '../../src/core/access.js';
import { isCairnError } from '../../src/core/errors.js';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env, '/srv/cairn');
  } catch (err) {
    if (isCairnError(err, 'CONFIG')) return err.message;
    throw err;
  }
  throw new Error('expected a config error');
}

describe('loadConfig', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const c = loadConfig({}, '/srv/cairn');
    expect(c.dataDir).toBe(path.resolve('/srv/cairn', '.cairn'));
    expect(c.store.kind).toBe('embedded');
    expect(c.embedding.kind).toBe('use');
    expect(c.llm.enabled).toBe(false);
    expect(c.slack).toBeUndefined();
    expect(c.discord).toBeUndefined();
  });

  it('fuses by the embedder in use unless FUSION / FUSION_DENSE_WEIGHT say otherwise', () => {
    expect(loadConfig({}, '/srv').retrieval).toMatchObject({ fusion: 'linear', denseWeight: 0.3 });
    const endpoint = { EMBEDDING_BASE_URL: 'http://127.0.0.1:8080/v1' };
    expect(loadConfig(endpoint, '/srv').retrieval).toMatchObject({ fusion: 'linear', denseWeight: 0.7 });
    expect(loadConfig({ ...endpoint, FUSION: 'rrf' }, '/srv').retrieval).toMatchObject({ fusion: 'rrf', denseWeight: 0.7 });
    expect(loadConfig({ ...endpoint, FUSION_DENSE_WEIGHT: '0.4' }, '/srv').retrieval).toMatchObject({ fusion: 'linear', denseWeight: 0.4 });
    expect(loadConfig({ EMBEDDER: 'use', FUSION_DENSE_WEIGHT: '0' }, '/srv').retrieval.denseWeight).toBe(0);
  });

  it('honours CAIRN_DATA_DIR and switches to Qdrant when QDRANT_URL is set', () => {
    const c = loadConfig({ CAIRN_DATA_DIR: 'var/idx', QDRANT_URL: 'http://127.0.0.1:6333' }, '/srv/cairn');
    expect(c.dataDir).toBe('/srv/cairn/var/idx');
    expect(c.store.kind).toBe('qdrant');
  });

  it('names the variable and what it expects when a value is bad', () => {
    const msg = configError({ CHUNK_SIZE: 'big', QDRANT_URL: 'not a url' });
    expect(msg).toMatch(/CHUNK_SIZE: expected a whole number from 200 to 8000 \(got "big"\)/);
    expect(msg).toMatch(/QDRANT_URL: expected an http\(s\) URL/);
  });

  it('listens on loopback unless HOST says otherwise, and rejects a HOST that is not an address', () => {
    expect(loadConfig({}, '/').server).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }, '/').server).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(configError({ HOST: 'http://0.0.0.0' })).toMatch(/HOST: expected an address to listen on/);
  });

  it('offers run_code in JavaScript and Python unless RUN_CODE_LANGUAGES narrows it or says none', () => {
    expect(loadConfig({}, '/srv/cairn').runCode.languages).toEqual(['javascript', 'python']);
    expect(loadConfig({ RUN_CODE_LANGUAGES: ' JavaScript ' }, '/srv/cairn').runCode.languages).toEqual(['javascript']);
    expect(loadConfig({ RUN_CODE_LANGUAGES: 'none' }, '/srv/cairn').runCode.languages).toEqual([]);
    expect(configError({ RUN_CODE_LANGUAGES: 'javascript,ruby' })).toMatch(/RUN_CODE_LANGUAGES: expected javascript and\/or python separated by commas, or none/);
  });

  it('rejects an overlap that is not smaller than the chunk size', () => {
    expect(configError({ CHUNK_SIZE: '500', CHUNK_OVERLAP: '500' })).toMatch(/CHUNK_OVERLAP: expected less than CHUNK_SIZE/);
  });

  it('asks for the Slack secret that the chosen transport needs', () => {
    expect(configError({ SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/SLACK_SIGNING_SECRET/);
    expect(configError({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SOCKET_MODE: 'true' })).toMatch(/SLACK_APP_TOKEN/);
  });

  it('runs the Slack assistant only when SLACK_ASSISTANT says so, with default or configured prompts', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig(slack, '/').slack?.assistant).toBeUndefined();
    expect(loadConfig({ ...slack, SLACK_ASSISTANT: 'true' }, '/').slack?.assistant?.prompts).toEqual(DEFAULT_ASSISTANT_PROMPTS);
    const own = loadConfig({ ...slack, SLACK_ASSISTANT: 'true', SLACK_ASSISTANT_PROMPTS: 'Deploy=How do I deploy? Is a=b allowed?; What is Cairn?' }, '/');
    expect(own.slack?.assistant?.prompts).toEqual([
      { title: 'Deploy', message: 'How do I deploy? Is a=b allowed?' },
      { title: 'What is Cairn?', message: 'What is Cairn?' },
    ]);
    expect(configError({ ...slack, SLACK_ASSISTANT_PROMPTS: 'a;b;c;d;e' })).toMatch(/SLACK_ASSISTANT_PROMPTS: expected one to four prompts/);
    expect(configError({ ...slack, SLACK_ASSISTANT_PROMPTS: 'Title=' })).toMatch(/SLACK_ASSISTANT_PROMPTS: expected one to four prompts/);
  });

  it('parses channel access maps and rejects malformed ones', () => {
    const c = loadConfig({ CHANNEL_ACCESS: 'C1=hr,eng; C2=public' }, '/');
    expect(c.access.channels).toEqual({ C1: ['hr', 'eng'], C2: ['public'] });
    expect(configError({ CHANNEL_ACCESS: 'C1' })).toMatch(/CHANNEL_ACCESS: expected "ID=group1,group2/);
  });

  it('keeps the default group of new documents apart from what unmapped channels may read', () => {
    const config = loadConfig({ DEFAULT_ACCESS_GROUP: 'staff' }, '/srv/cairn');
    expect(config.ingest.defaultAccessGroup).toBe('staff');
    // A private default must not open that group to every unmapped channel or DM between people.
    expect(readableGroups(config.access, { kind: 'conversation', channelId: 'C-unmapped' })).toEqual(['public']);
    expect(loadConfig({ PUBLIC_ACCESS_GROUPS: 'public, everyone' }, '/srv/cairn').access.publicGroups).toEqual(['public', 'everyone']);
    expect(configError({ PUBLIC_ACCESS_GROUPS: 'hr team' })).toMatch(/PUBLIC_ACCESS_GROUPS: expected group names/);
  });

  it('enables the LLM with a base URL alone (local OpenAI-compatible servers need no key)', () => {
    const c = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1', LLM_MODEL: 'my-lora' }, '/');
    expect(c.llm.enabled).toBe(true);
    expect(c.llm.fastModel).toBe('my-lora');
  });
});

describe('shared state settings', () => {
  it('keeps everything in process by default, and shares thread memory in PostgreSQL when DATABASE_URL is set', () => {
    const plain = loadConfig({}, '/srv');
    expect(plain.shared).toEqual({ redisUrl: undefined, databaseUrl: undefined, checkpointRetentionDays: 30 });
    expect(plain.agent.checkpointer).toBe('memory');
    const fleet = loadConfig({ REDIS_URL: 'redis://cache:6379', DATABASE_URL: 'postgres://cairn@db:5432/cairn', CHECKPOINT_RETENTION_DAYS: '7', CHECKPOINTER: 'sqlite' }, '/srv');
    expect(fleet.shared).toEqual({ redisUrl: 'redis://cache:6379', databaseUrl: 'postgres://cairn@db:5432/cairn', checkpointRetentionDays: 7 });
    expect(fleet.agent.checkpointer).toBe('postgres');
  });

  it('names the variable of a bad URL or retention', () => {
    const msg = configError({ REDIS_URL: 'http://cache:6379', DATABASE_URL: 'db:5432', CHECKPOINT_RETENTION_DAYS: '0' });
    expect(msg).toMatch(/REDIS_URL: expected a URL such as redis:\/\/127\.0\.0\.1:6379/);
    expect(msg).toMatch(/DATABASE_URL: expected a URL such as postgres:\/\//);
    expect(msg).toMatch(/CHECKPOINT_RETENTION_DAYS: expected a whole number from 1 to 3650/);
  });

  it('Discord: one gateway shard and gateway interactions by default; DISCORD_SHARD_COUNT takes a number or auto; http needs the public key', () => {
    const key = 'ab'.repeat(32);
    expect(loadConfig({ DISCORD_TOKEN: 't' }, '/srv').discord).toMatchObject({ shardCount: 1, interactions: 'gateway', publicKey: undefined });
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_SHARD_COUNT: '4' }, '/srv').discord?.shardCount).toBe(4);
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_SHARD_COUNT: 'auto' }, '/srv').discord?.shardCount).toBe('auto');
    expect(configError({ DISCORD_TOKEN: 't', DISCORD_SHARD_COUNT: '0' })).toMatch(/DISCORD_SHARD_COUNT: expected "auto" or a whole number of shards/);
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_INTERACTIONS: 'http', DISCORD_PUBLIC_KEY: key }, '/srv').discord).toMatchObject({ interactions: 'http', publicKey: key });
    expect(configError({ DISCORD_TOKEN: 't', DISCORD_INTERACTIONS: 'http' })).toMatch(/DISCORD_INTERACTIONS: "http" needs DISCORD_PUBLIC_KEY/);
    expect(configError({ DISCORD_TOKEN: 't', DISCORD_PUBLIC_KEY: 'not-hex' })).toMatch(/DISCORD_PUBLIC_KEY: expected the application's public key: 64 hex digits/);
  });

  it('hand-off targets: none by default; a Slack user group and/or users; a Discord role id', () => {
    const slack = { SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig(slack, '/srv').slack?.handoff).toBeUndefined();
    expect(loadConfig({ ...slack, SLACK_HANDOFF_USERGROUP: 'S0HELP' }, '/srv').slack?.handoff).toEqual({ usergroup: 'S0HELP', users: [] });
    expect(loadConfig({ ...slack, SLACK_HANDOFF_USERS: 'U1, U2' }, '/srv').slack?.handoff).toEqual({ users: ['U1', 'U2'] });
    expect(configError({ ...slack, SLACK_HANDOFF_USERGROUP: '@support' })).toMatch(/SLACK_HANDOFF_USERGROUP: expected a Slack user group id/);
    expect(loadConfig({ DISCORD_TOKEN: 't' }, '/srv').discord?.handoffRoleId).toBeUndefined();
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_HANDOFF_ROLE: '400000000000000002' }, '/srv').discord?.handoffRoleId).toBe('400000000000000002');
    expect(configError({ DISCORD_TOKEN: 't', DISCORD_HANDOFF_ROLE: 'support' })).toMatch(/DISCORD_HANDOFF_ROLE: expected a Discord role id/);
  });

  it('weekly gaps summary: off until a channel is set; Monday 09:00 UTC unless GAPS_SUMMARY_DAY / _HOUR say otherwise; bad values named', () => {
    const slack = { SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 's' };
    const none = loadConfig(slack, '/srv');
    expect(none.slack?.gapsChannel).toBeUndefined();
    expect(none.gapsSummary).toEqual({ weekday: 1, hour: 9 });
    expect(loadConfig({ ...slack, SLACK_GAPS_CHANNEL: 'C0ADMINS' }, '/srv').slack?.gapsChannel).toBe('C0ADMINS');
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_GAPS_CHANNEL: '300000000000000009' }, '/srv').discord?.gapsChannel).toBe('300000000000000009');
    expect(loadConfig({ GAPS_SUMMARY_DAY: 'Friday', GAPS_SUMMARY_HOUR: '16' }, '/srv').gapsSummary).toEqual({ weekday: 5, hour: 16 });
    expect(loadConfig({ GAPS_SUMMARY_DAY: 'sunday', GAPS_SUMMARY_HOUR: '0' }, '/srv').gapsSummary).toEqual({ weekday: 0, hour: 0 });
    expect(configError({ ...slack, SLACK_GAPS_CHANNEL: '#admins' })).toMatch(/SLACK_GAPS_CHANNEL: expected a Slack channel id such as C0123ABCD.*\(got "#admins"\)/);
    expect(configError({ DISCORD_TOKEN: 't', DISCORD_GAPS_CHANNEL: 'admins' })).toMatch(/DISCORD_GAPS_CHANNEL: expected a Discord channel id/);
    expect(configError({ GAPS_SUMMARY_DAY: 'mon' })).toMatch(/GAPS_SUMMARY_DAY: expected a day of the week: sunday, monday/);
    expect(configError({ GAPS_SUMMARY_HOUR: '24' })).toMatch(/GAPS_SUMMARY_HOUR: expected a whole number from 0 to 23/);
    expect(configError({ SLACK_GAPS_CHANNEL: 'C0ADMINS' })).toMatch(/SLACK_GAPS_CHANNEL is set, but SLACK_BOT_TOKEN is not/);
    expect(configError({ DISCORD_GAPS_CHANNEL: '300000000000000009' })).toMatch(/DISCORD_GAPS_CHANNEL is set, but DISCORD_TOKEN is not/);
  });
});
