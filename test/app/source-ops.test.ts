/**
 * Source operations through the whole app (real store, SourceSyncer, Bolt and discord.js against the
 * local fakes): `cairn start` running a source's schedule, `/cairn-reindex [source]` for admins only with
 * progress, `/cairn-sources` showing each source's last sync within the access rule, and the per-source
 * series on /metrics.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Launched } from '../../src/app/start.js';
import { loadConfig } from '../../src/config/config.js';
import { FakeDiscord, type RecordedCall } from '../fakes/discord-server.js';
import { commandFields, sendCommand, startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { TestSite } from '../sources/helpers/site.js';

const SIGNING = 'source-ops-secret';
// The failing source's sitemap URL carries a marker: where hr may not be read, its error must not show.
const MARKER = 'HRSECRET-7731';
const DISCORD = { guild: '200000000000000001', channel: '300000000000000001', adminRole: '400000000000000001' };
const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as unknown as NodeJS.WritableStream };

describe('source operations over Slack and Discord', () => {
  let dir = '';
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let site: TestSite;
  let app: Launched;
  let base = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-source-ops-'));
    await mkdir(path.join(dir, 'kb/hr'), { recursive: true });
    await writeFile(path.join(dir, 'kb/guide.md'), '# Install guide\n\nRun the installer and follow the prompts.\n');
    await writeFile(path.join(dir, 'kb/hr/leave.md'), `# Leave ${MARKER}\n\nEmployees get 25 days of leave.\n`);
    site = await new TestSite().start();
    site.routes.set(`/${MARKER}/sitemap.xml`, { status: 500, body: 'down' });
    await writeFile(path.join(dir, 'cairn.sources.yaml'), [
      `- {id: kb, type: folder, path: ${path.join(dir, 'kb')}, groups: {"hr/**": hr}}`,
      `- {id: hr-site, type: web, url: "${site.origin}/", mode: sitemap, sitemaps: ["${site.url(`/${MARKER}/sitemap.xml`)}"], access_group: hr, schedule: every 1 d, requests_per_second: 1000}`,
      '',
    ].join('\n'));
    slack = await startFakeSlack();
    discord = await FakeDiscord.start({ guilds: [{ id: DISCORD.guild, channels: [{ id: DISCORD.channel, name: 'general' }], roles: [DISCORD.adminRole] }] });
    const config = loadConfig({
      CAIRN_DATA_DIR: path.join(dir, 'data'), DOCS_DIR: path.join(dir, 'no-docs'), SOURCES_FILE: path.join(dir, 'cairn.sources.yaml'), PORT: '0', LOG_LEVEL: 'silent',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: slack.apiUrl, SLACK_ADMIN_USER_IDS: 'UADMIN',
      DISCORD_TOKEN: 'discord-token', DISCORD_API_URL: discord.apiUrl, DISCORD_ADMIN_ROLE_IDS: DISCORD.adminRole,
      CHANNEL_ACCESS: 'CHR=hr,public',
    }, dir);
    app = await launch(config, io, { logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${app.port}`;
    await discord.ready;
  }, 120_000);

  afterAll(async () => {
    await app?.shutdown('test end');
    await Promise.all([slack?.close(), discord?.close(), site?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function slash(command: string, user: string, text: string, id: string, channel = 'COPEN'): Promise<{ ack: string; responses: () => string[] }> {
    const res = await sendCommand(`${base}/slack/events`, SIGNING, commandFields({ command, text, user_id: user, channel_id: channel, response_url: slack.responseUrl(id) }));
    return { ack: res.body ? String(JSON.parse(res.body).text ?? '') : '', responses: () => slack.responsesTo(id).map((r) => String(r.body.text)) };
  }

  it('cairn start runs a scheduled source at once when it never ran; its failure is recorded and the bot goes on', async () => {
    await slack.waitFor(() => site.requests.includes(`/${MARKER}/sitemap.xml`), 20_000, 'the scheduled sync of hr-site');
    const metrics = async () => (await fetch(`${base}/metrics`)).text();
    for (let i = 0; i < 100 && !/cairn_source_sync_errors_total\{source="hr-site",kind="sync"\} 1/.test(await metrics()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await metrics()).toMatch(/cairn_source_sync_errors_total\{source="hr-site",kind="sync"\} 1/);
    expect(await metrics()).toMatch(/cairn_source_sync_duration_seconds_count\{source="hr-site",trigger="schedule",outcome="failed"\} 1/);
    // Set from the sync states at start, before kb's first sync.
    expect(await metrics()).toMatch(/cairn_source_items\{source="kb"\} 0/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('Slack: refuses /cairn-reindex <source> to a non-admin and names the known ids for an unknown one', async () => {
    expect((await slash('/cairn-reindex', 'U1', 'kb', 'refused')).ack).toMatch(/only Cairn admins/);
    expect((await slash('/cairn-reindex', 'UADMIN', 'wiki', 'unknown')).ack).toBe('There is no source "wiki". Known sources: kb, hr-site. Name one of them, or run /cairn-reindex alone to sync them all.');
    expect(site.requests.filter((p) => p.includes('sitemap')).length).toBe(1);
  });

  it('Slack: an admin syncs one source, its documents get the mapped groups, and /metrics counts it', async () => {
    const run = await slash('/cairn-reindex', 'UADMIN', 'kb', 'kb');
    expect(run.ack).toBe('Re-indexing `kb`… I will post progress here.');
    await slack.waitFor(() => run.responses().some((t) => t.startsWith('Re-index done')), 30_000, 'the re-index');
    // Progress posts come every 10 s in Slack: this run is quicker; Discord's edits below show its lines.
    expect(run.responses().at(-1)).toMatch(/^Re-index done: kb: synced\nDone in [\d.]+ s: 2 documents ingested/);
    const groups = Object.fromEntries((await app.cairn.runtime.store.listDocuments()).map((d) => [path.basename(d.source), d.accessGroup]));
    expect(groups).toEqual({ 'guide.md': 'public', 'leave.md': 'hr' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/cairn_source_sync_duration_seconds_count\{source="kb",trigger="manual",outcome="ok"\} 1/);
    expect(metrics).toMatch(/cairn_source_items\{source="kb"\} 2/);
  });

  it('Slack: /cairn-sources shows each source\'s last sync; a private source\'s error only where its group may be read', async () => {
    const open = await slash('/cairn-sources', 'U1', '', 'src-open', 'COPEN');
    const hr = await slash('/cairn-sources', 'U1', '', 'src-hr', 'CHR');
    await slack.waitFor(() => open.responses().length > 0 && hr.responses().length > 0, 10_000, 'both listings');
    const [openText, hrText] = [open.responses()[0]!, hr.responses()[0]!];
    expect(openText).toMatch(/• `kb` \(folder\) · last good sync \d{4}-\d\d-\d\d \d\d:\d\d UTC · 2 items, 2 documents · last run [\d-]+ [\d:]+ ok: 2 changed, 0 deleted/);
    expect(openText).toMatch(/• `hr-site` \(web\) · never synced well yet · 0 items, 0 documents · last run [\d-]+ [\d:]+ FAILED: 0 changed, 0 deleted · last error: shown only where/);
    expect(openText).toContain('guide.md');
    // Neither the hr document's title nor the hr source's error reaches a channel that cannot read hr.
    expect(openText).not.toContain(MARKER);
    expect(hrText).toContain(`last error: ${site.url(`/${MARKER}/sitemap.xml`)} could not be read (HTTP 500)`);
    expect(hrText).toContain('leave.md');
  });

  it('Discord: refuses a non-admin, and syncs a source for an admin with progress edits and a done message', async () => {
    const original = (token: string) => (c: RecordedCall) => c.method === 'PATCH' && c.path === `/webhooks/${discord.applicationId}/${token}/messages/@original`;
    const refused = discord.command('cairn-reindex', { source: 'kb' }, { channelId: DISCORD.channel, roles: [] });
    const answer = await discord.waitFor((c) => c.path === `/interactions/${refused.id}/${refused.token}/callback`);
    expect(answer.body.data.content).toMatch(/only Cairn admins/);
    const run = discord.command('cairn-reindex', { source: 'kb' }, { channelId: DISCORD.channel, roles: [DISCORD.adminRole] });
    const done = await discord.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${discord.applicationId}/${run.token}`, 30_000);
    expect(done.body.content).toMatch(/^✅ Re-index done: kb: synced\nDone in [\d.]+ s: 0 documents ingested \(0 chunks\), 2 unchanged/);
    const edits = discord.calls.filter(original(run.token)).map((c) => c.body.content);
    expect(edits[0]).toMatch(/🔄 Re-indexing `kb`…/);
    expect(edits.at(-1)).toMatch(/^✅ Re-indexed `kb`: kb: synced[\s\S]*reading: 2 files/);
  });
});
