import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSourceSchedule, type SourceSchedule } from '../../src/app/source-schedule.js';
import { sourceLease, SourceSyncer } from '../../src/app/source-sync.js';
import { loadConfig, type SourceConfig } from '../../src/config/config.js';
import { AccessRulesFile } from '../../src/ingest/index.js';
import { Metrics } from '../../src/observability/metrics.js';
import { MemoryLeases } from '../../src/shared-state/lease.js';
import { HashEmbedder } from '../ingest/helpers/fake-embedder.js';
import { MemoryStore } from '../ingest/helpers/memory-store.js';

const folder = (id: string, dir: string, everyMs?: number): SourceConfig => ({ id, type: 'folder', path: dir, include: [], exclude: [], groups: [], ...(everyMs ? { everyMs } : {}) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('source schedules in cairn start', () => {
  let dir = '';
  let logged: Array<{ msg: string; source?: string; trigger?: string }>;
  let leases: MemoryLeases;
  let metrics: Metrics;
  let schedule: SourceSchedule | undefined;
  const logger = pino({ level: 'debug' }, { write: (line: string) => logged.push(JSON.parse(line)) });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-schedule-'));
    await mkdir(path.join(dir, 'a'));
    await writeFile(path.join(dir, 'a/one.md'), '# One\n\nSome text to index.');
    logged = [];
    leases = new MemoryLeases();
    metrics = new Metrics({ defaultMetrics: false });
  });
  afterEach(async () => {
    await schedule?.stop();
    schedule = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  function syncer(sources: SourceConfig[]): SourceSyncer {
    const config = { ...loadConfig({ CAIRN_DATA_DIR: path.join(dir, 'data'), CHUNK_SIZE: '400', CHUNK_OVERLAP: '60' }, dir), sources };
    return new SourceSyncer({ runtime: { config, store: new MemoryStore(), embedder: new HashEmbedder(), accessRules: new AccessRulesFile(null) }, leases, metrics, logger, cwd: dir });
  }
  const runs = (source: string, trigger = 'schedule') => logged.filter((l) => l.msg === 'source sync started' && l.source === source && l.trigger === trigger).length;
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 100 && !check(); i++) await sleep(50);
    expect(check(), what).toBe(true);
  };

  it('runs each scheduled source again and again; a failing one is logged and counted and stops nothing; stop() ends it all', async () => {
    const s = syncer([folder('a', 'a', 150), folder('broken', 'missing', 150), folder('manual', 'a')]);
    schedule = startSourceSchedule(s, logger);
    // Counted on the failure log, not the start log: a run that has started has not yet failed and been counted.
    const failures = () => logged.filter((l) => l.msg.startsWith('scheduled source sync failed') && l.source === 'broken').length;
    await until(() => runs('a') >= 2 && failures() >= 2, 'two runs of each scheduled source');
    expect(runs('manual')).toBe(0);
    const text = (await metrics.render()).body;
    expect(text).toMatch(/cairn_source_sync_errors_total\{source="broken",kind="sync"\} [2-9]/);
    expect(text).toMatch(/cairn_source_items\{source="a"\} 1/);
    await schedule.stop();
    const after = runs('a');
    await sleep(400);
    expect(runs('a')).toBe(after);
  });

  it('skips a run while the source is syncing elsewhere (an admin, another replica) and resumes at the next slot', async () => {
    const s = syncer([folder('a', 'a', 100)]);
    const held = (await leases.acquire(sourceLease('a')))!;
    schedule = startSourceSchedule(s, logger);
    await until(() => logged.filter((l) => l.msg.includes('already syncing') && l.source === 'a').length >= 2, 'skipped runs');
    expect(runs('a')).toBe(0);
    await held.release();
    await until(() => runs('a') >= 1, 'a run once the lease is free');
  });

  it('a manual sync while a scheduled one runs is told it is busy; the two never overlap', async () => {
    const s = syncer([folder('a', 'a', 60_000)]);
    const [first, second] = await Promise.all([s.sync(folder('a', 'a'), { trigger: 'schedule' }), s.sync(folder('a', 'a'), { trigger: 'manual' })]);
    expect(first.status).toBe('ok');
    expect(second).toEqual({ id: 'a', status: 'busy' });
  });

  it('after a restart, a source that ran recently waits for its slot instead of syncing at once', async () => {
    const s = syncer([folder('a', 'a', 60_000)]);
    await s.sync(folder('a', 'a'), { trigger: 'manual' });
    schedule = startSourceSchedule(s, logger);
    await sleep(300);
    expect(runs('a')).toBe(0);
  });
});
