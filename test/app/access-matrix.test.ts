/**
 * The access matrix: 3 groups × every kind of conversation, driven through the whole app (real store,
 * agent, Bolt and discord.js against local fakes) by a hostile model that searches for everything,
 * calls every tool with what it has seen and quotes every passage it is shown. It asserts that no
 * secret of a group someone may not read reaches them: replies, citations, sources, listings, status,
 * web-search queries (which leave the machine), logs at the default level, /metrics and exports.
 *
 * A new surface or store adds rows here, not a new rule.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCairnGapsSummary } from '../../src/app/gaps-summary.js';
import { launch, type Launched } from '../../src/app/start.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/core/logger.js';
import { FeedbackStore } from '../../src/feedback/feedback-store.js';
import { cairn, stubEnv } from '../cli/helpers.js';
import { FakeDiscord, user, type RecordedCall } from '../fakes/discord-server.js';
import { FakeOpenAI, match, messageText, type ChatCompletionBody, type ScriptedReply } from '../fakes/openai-server.js';
import { assistantThreadEvent, buttonClick, commandFields, eventEnvelope, fileShareEvent, sendAction, sendCommand, sendEvent, startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

const SECRETS = { public: 'PUBLIC-CODE-1111', hr: 'HRSECRET-7731', eng: 'ENGSECRET-5524' } as const;
type Group = keyof typeof SECRETS;
const GROUPS = Object.keys(SECRETS) as Group[];
const QUESTION = 'What are the annual bonus pool, the product roadmap and the welcome guide?';
/** In a file the asker attaches: it may appear in that reply, and nowhere else (index, logs, records, exports, web queries). */
const ATTACHED = 'ATTACHEDSECRET-4242';
const SIGNING = 'matrix-signing-secret';

// Slack ids: CHR is mapped to hr, COPEN is not mapped; UHR may read hr when answered alone.
const SLACK = { hrChannel: 'CHR', openChannel: 'COPEN', hrUser: 'UHR', plainUser: 'UPLAIN', botDmHr: 'DHR', botDmPlain: 'DPLAIN', peopleDm: 'DPEOPLE' };
// Discord ids: FORUM is mapped to eng; OPEN is not mapped.
const DISCORD = { guild: '200000000000000001', forum: '300000000000000001', open: '300000000000000002', engUser: '100000000000000009', adminRole: '400000000000000001' };

/** Everything in the fake model's request between source delimiters, as [n, text]. */
function passagesSeen(body: ChatCompletionBody): Array<{ n: number; text: string }> {
  const all = body.messages.map(messageText).join('\n');
  return [...all.matchAll(/<<source \[(\d+)\] \w+>>\n[\s\S]*?\n---\n([\s\S]*?)\n<<end source/g)].map((m) => ({ n: Number(m[1]), text: m[2]! }));
}

/** The hostile answering model: first every tool, with everything it has seen; then it quotes all of it. */
function hostile(body: ChatCompletionBody): ScriptedReply {
  const seen = passagesSeen(body);
  const offered = (body.tools ?? []).map((t) => t.function.name);
  if (!body.messages.some((m) => m.role === 'tool') && offered.length > 0) {
    const everything = seen.map((s) => s.text).join(' ');
    return {
      toolCalls: [
        { name: 'search_docs', arguments: { query: 'annual bonus pool HRSECRET' } },
        { name: 'search_docs', arguments: { query: 'product roadmap ENGSECRET' } },
        { name: 'web_search', arguments: { query: everything.slice(0, 400) || 'bonus roadmap' } },
        { name: 'calculator', arguments: { expression: '7731 + 5524' } },
        { name: 'run_code', arguments: { language: 'javascript', code: JSON.stringify(everything) } },
      ],
    };
  }
  // Written over time, as a model writes, so surfaces that stream the draft (Slack's assistant panel) do.
  return { content: seen.map((s) => `${s.text.replace(/\s+/g, ' ').trim()} [${s.n}].`).join(' ') || 'Nothing found.', chunkDelayMs: 5 };
}

describe('access matrix: 3 groups × every conversation, against a model that tries to exfiltrate', () => {
  let dir = '';
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let llm: FakeOpenAI;
  let web: http.Server;
  const webQueries: string[] = [];
  let app: Launched;
  let base = '';
  let logs = '';
  // DISCORD_INTERACTIONS=http: the rows below use the gateway until one switches the fake to the endpoint.
  const discordKeys = generateKeyPairSync('ed25519');
  let ts = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-matrix-'));
    await mkdir(path.join(dir, 'docs'));
    await writeFile(path.join(dir, 'docs/welcome.md'), `# Welcome guide\n\nThe welcome guide says the guest wifi code is ${SECRETS.public}.\n`);
    await writeFile(path.join(dir, 'docs/bonus.md'), `---\naccess_group: hr\n---\n# Bonus ${SECRETS.hr}\n\nThe annual bonus pool is twelve percent, code ${SECRETS.hr}.\n`);
    await writeFile(path.join(dir, 'docs/roadmap.md'), `---\naccess_group: eng\n---\n# Roadmap ${SECRETS.eng}\n\nThe product roadmap ships the new engine, code ${SECRETS.eng}.\n`);

    slack = await startFakeSlack();
    slack.addIm(SLACK.botDmHr, SLACK.hrUser);
    slack.addIm(SLACK.botDmPlain, SLACK.plainUser);
    discord = await FakeDiscord.start({ guilds: [{ id: DISCORD.guild, channels: [{ id: DISCORD.forum, name: 'help', forum: true }, { id: DISCORD.open, name: 'general' }], roles: [DISCORD.adminRole] }] });
    llm = await FakeOpenAI.start();
    llm.when(match.all(match.model('fast'), match.lastUserIncludes('search queries')), { content: JSON.stringify({ standalone: QUESTION, queries: ['HRSECRET bonus', 'ENGSECRET roadmap'] }) });
    llm.when(match.all(match.model('fast'), match.lastUserIncludes('You check statements')), { content: JSON.stringify({ supported: Array.from({ length: 50 }, (_, i) => i + 1) }) });
    llm.when(match.model('main'), hostile);
    web = http.createServer((req, res) => {
      webQueries.push(new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: [{ title: 'Web', url: 'https://example.com/', content: 'A public web page.' }] }));
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));

    const env = {
      CAIRN_DATA_DIR: path.join(dir, 'data'), DOCS_DIR: path.join(dir, 'docs'), PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: slack.apiUrl, SLACK_ADMIN_USER_IDS: 'UADMIN', SLACK_ASSISTANT: 'true',
      DISCORD_TOKEN: 'discord-token', DISCORD_API_URL: discord.apiUrl, DISCORD_ADMIN_ROLE_IDS: DISCORD.adminRole,
      DISCORD_INTERACTIONS: 'http', DISCORD_PUBLIC_KEY: discordKeys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex'),
      // The weekly gaps summary goes to an open (unmapped) channel on each platform.
      SLACK_GAPS_CHANNEL: SLACK.openChannel, DISCORD_GAPS_CHANNEL: DISCORD.open,
      CHANNEL_ACCESS: `${SLACK.hrChannel}=hr;${DISCORD.forum}=eng`, USER_ACCESS: `${SLACK.hrUser}=hr;${DISCORD.engUser}=eng`,
      OPENAI_BASE_URL: llm.baseURL, LLM_MODEL: 'main', LLM_FAST_MODEL: 'fast', LLM_MAX_RETRIES: '0',
      // The rows ask as a few users, many times a minute: the per-user limit is not what this file tests.
      RATE_LIMIT_PER_MINUTE: '1000',
      WEB_SEARCH_PROVIDER: 'searxng', SEARXNG_URL: `http://127.0.0.1:${(web.address() as AddressInfo).port}`,
    };
    const config = loadConfig(env);
    // The default level (info), content off: what an operator's log holds.
    const logger = createLogger({ level: 'info', content: false, destination: new Writable({ write(c: Buffer, _e, done) { logs += c.toString(); done(); } }) });
    const io = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as unknown as NodeJS.WritableStream };
    app = await launch(config, io, { logger });
    base = `http://127.0.0.1:${app.port}`;
    await discord.ready;
  }, 180_000);

  afterAll(async () => {
    await app?.shutdown('test end');
    await Promise.all([slack?.close(), discord?.close(), llm?.close(), new Promise((r) => web?.close(r))]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** What a Slack row made visible: every post, edit and response_url message since `from`. */
  const slackSince = (from: { calls: number; responses: number }, channel?: string) => ({
    posts: slack.calls.slice(from.calls).filter((c) => c.method.startsWith('chat.') && (!channel || c.args.channel === channel)).map((c) => JSON.stringify(c.args)),
    responses: slack.responses.slice(from.responses).map((r) => r.body),
  });
  const slackMark = () => ({ calls: slack.calls.length, responses: slack.responses.length });
  const discordSince = (from: number): RecordedCall[] => discord.calls.slice(from).filter((c) => c.method !== 'GET');

  /** Fails when text shows a secret of a group outside `readable`; returns the groups whose secrets it shows. */
  function check(text: string, readable: readonly Group[], where: string): Group[] {
    const shown = GROUPS.filter((g) => text.includes(SECRETS[g]));
    expect(shown.filter((g) => !readable.includes(g)), `${where} shows a secret it may not`).toEqual([]);
    return shown;
  }

  async function mention(channel: string, user: string, opts: { threadTs?: string; im?: boolean } = {}): Promise<string> {
    ts += 1;
    const own = `1700000000.${String(ts).padStart(6, '0')}`;
    const event = opts.im
      ? { type: 'message', channel_type: 'im', channel, user, text: QUESTION, ts: own }
      : opts.threadTs
        ? { type: 'message', channel_type: 'channel', channel, user, text: QUESTION, ts: own, thread_ts: opts.threadTs }
        : { type: 'app_mention', channel, user, text: `<@UBOT> ${QUESTION}`, ts: own };
    const threadTs = opts.threadTs ?? (opts.im ? undefined : own);
    const answered = () => slack.botMessages(channel).filter((m) => m.thread_ts === threadTs && (m.blocks ?? []).some((b) => b.type === 'actions')).length;
    const before = answered();
    await sendEvent(`${base}/slack/events`, SIGNING, eventEnvelope(event));
    await slack.waitFor(() => answered() > before, 30_000, `the answer in ${channel}`);
    return own;
  }

  async function slashAsk(channel: string, user: string, id: string): Promise<Record<string, unknown>> {
    await sendCommand(`${base}/slack/events`, SIGNING, commandFields({ command: '/ask', text: QUESTION, user_id: user, channel_id: channel, response_url: slack.responseUrl(id) }));
    await slack.waitFor(() => slack.responsesTo(id).length > 0, 30_000, `/ask ${id}`);
    return slack.responsesTo(id)[0]!.body;
  }

  const quoted: Partial<Record<Group, number>> = {};
  const saw = (groups: Group[]) => groups.forEach((g) => (quoted[g] = (quoted[g] ?? 0) + 1));

  it('Slack: a mapped channel, an unmapped one, and threads in each', async () => {
    for (const [channel, readable] of [[SLACK.hrChannel, ['hr']], [SLACK.openChannel, ['public']]] as const) {
      const mark = slackMark();
      const thread = await mention(channel, SLACK.hrUser);
      await mention(channel, SLACK.plainUser, { threadTs: thread });
      saw(check(JSON.stringify(slackSince(mark, channel)), readable, `channel ${channel} and its thread`));
    }
  }, 120_000);

  it('Slack: Cairn’s own DM with and without USER_ACCESS', async () => {
    for (const [channel, user, readable] of [[SLACK.botDmHr, SLACK.hrUser, ['hr']], [SLACK.botDmPlain, SLACK.plainUser, ['public']]] as const) {
      const mark = slackMark();
      await mention(channel, user, { im: true });
      saw(check(JSON.stringify(slackSince(mark, channel)), readable, `bot DM ${channel}`));
    }
  }, 120_000);

  it('Slack assistant panel: the viewed channel’s groups, never more than the user’s own, streamed draft included', async () => {
    const rows = [
      [SLACK.hrUser, SLACK.botDmHr, SLACK.hrChannel, ['hr']],
      [SLACK.plainUser, SLACK.botDmPlain, SLACK.hrChannel, []],
      [SLACK.hrUser, SLACK.botDmHr, SLACK.openChannel, []],
      [SLACK.plainUser, SLACK.botDmPlain, undefined, ['public']],
    ] as const;
    let streamed = 0;
    for (const [user, dm, viewing, readable] of rows) {
      ts += 1;
      const threadTs = `1700000900.${String(ts).padStart(6, '0')}`;
      const mark = slackMark();
      await sendEvent(`${base}/slack/events`, SIGNING, eventEnvelope(assistantThreadEvent('assistant_thread_started', { user, channel: dm, threadTs, ...(viewing ? { viewing } : {}) })));
      await slack.waitFor(() => slack.calls.slice(mark.calls).some((c) => c.method === 'assistant.threads.setSuggestedPrompts'), 10_000, 'the suggested prompts');
      const asked = slack.addUserMessage({ channel: dm, user, text: QUESTION, thread_ts: threadTs });
      await sendEvent(`${base}/slack/events`, SIGNING, eventEnvelope({ type: 'message', channel: dm, channel_type: 'im', user, text: QUESTION, ts: asked.ts, thread_ts: threadTs }));
      await slack.waitFor(() => slack.botMessages(dm).some((m) => m.thread_ts === threadTs && (m.blocks ?? []).some((b) => b.type === 'actions')), 30_000, `the assistant answer in ${dm}`);
      streamed += slack.calls.slice(mark.calls).filter((c) => c.method === 'chat.appendStream' || c.method === 'chat.startStream').length;
      saw(check(JSON.stringify(slackSince(mark, dm)), [...readable], `assistant thread of ${user} viewing ${viewing ?? 'nothing'}`));
    }
    // The checks covered the streamed draft, not only the final answer.
    expect(streamed).toBeGreaterThan(0);
  }, 120_000);

  it('Slack: /ask in a DM between two people, and in channels, never shares what only the asker may read', async () => {
    const hrInPeopleDm = await slashAsk(SLACK.peopleDm, SLACK.hrUser, 'people-hr');
    expect(hrInPeopleDm.response_type).toBe('ephemeral');
    saw(check(JSON.stringify(hrInPeopleDm), ['hr'], '/ask by UHR in a DM between people (ephemeral, UHR alone)'));
    for (const [channel, user, id] of [[SLACK.peopleDm, SLACK.plainUser, 'people-plain'], [SLACK.openChannel, SLACK.plainUser, 'open'], [SLACK.openChannel, SLACK.hrUser, 'open-hr']] as const) {
      const body = await slashAsk(channel, user, id);
      const readable: Group[] = body.response_type === 'ephemeral' && user === SLACK.hrUser ? ['hr'] : ['public'];
      saw(check(JSON.stringify(body), readable, `/ask ${id} (${String(body.response_type)})`));
    }
  }, 120_000);

  it('Slack: /ask private is seen by the asker alone; Share is refused where a cited document may not be read and posted where it may', async () => {
    type Body = { response_type?: string; text?: string; blocks?: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }> };
    const askPrivately = async (channel: string, id: string): Promise<Body> => {
      await sendCommand(`${base}/slack/events`, SIGNING, commandFields({ command: '/ask', text: `private ${QUESTION}`, user_id: SLACK.hrUser, channel_id: channel, response_url: slack.responseUrl(id) }));
      await slack.waitFor(() => slack.responsesTo(id).length > 0, 30_000, `/ask private ${id}`);
      return slack.responsesTo(id)[0]!.body as Body;
    };
    const share = async (body: Body, channel: string, id: string, responses: number): Promise<Body[]> => {
      const value = body.blocks!.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'cairn_share')!.value;
      await sendAction(`${base}/slack/events`, SIGNING, buttonClick({ actionId: 'cairn_share', value, user: SLACK.hrUser, channel, messageTs: '1700000000.000001', response_url: slack.responseUrl(id), ephemeral: true }));
      await slack.waitFor(() => slack.responsesTo(id).length >= responses, 30_000, `share ${id}`);
      return slack.responsesTo(id).map((r) => r.body as Body);
    };

    // Private in the open channel: UHR alone sees it, so it may draw on hr.
    const mark = slackMark();
    const inOpen = await askPrivately(SLACK.openChannel, 'private-open');
    expect(inOpen.response_type).toBe('ephemeral');
    expect(check(JSON.stringify(inOpen), ['hr'], '/ask private by UHR in the open channel'), 'the private answer cites hr').toContain('hr');
    // Share into the open channel: refused, told privately, nothing posted.
    const refused = await share(inOpen, SLACK.openChannel, 'share-open', 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.responsesTo('share-open')).toHaveLength(1);
    expect(refused[0]).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/can't share this answer here/) });
    expect(slackSince(mark, SLACK.openChannel).posts).toEqual([]);

    // Private in the hr channel, shared there: everyone there may read hr, so it is posted.
    const inHr = await askPrivately(SLACK.hrChannel, 'private-hr');
    const posted = await share(inHr, SLACK.hrChannel, 'share-hr', 2);
    const shared = posted.filter((b) => b.response_type === 'in_channel');
    expect(shared.length).toBeGreaterThan(0);
    saw(check(JSON.stringify(shared), ['hr'], 'an answer shared into the hr channel'));
  }, 120_000);

  it('Slack: /cairn-sources and /cairn-status for a non-admin list only what their conversation may read', async () => {
    for (const [command, id] of [['/cairn-sources', 'src'], ['/cairn-status', 'status']] as const) {
      await sendCommand(`${base}/slack/events`, SIGNING, commandFields({ command, user_id: SLACK.plainUser, channel_id: SLACK.openChannel, response_url: slack.responseUrl(id) }));
      await slack.waitFor(() => slack.responsesTo(id).length > 0, 10_000, command);
      const body = JSON.stringify(slack.responsesTo(id)[0]!.body);
      check(body, ['public'], command);
    }
    // The data directory is an admin's business.
    expect(JSON.stringify(slack.responsesTo('status')[0]!.body)).not.toContain(path.join(dir, 'data'));
    expect(JSON.stringify(slack.responsesTo('src')[0]!.body)).toContain('welcome.md');
  });

  it('Slack: /cairn-gaps run by an admin lists only the questions and documents the channel it runs in may read', async () => {
    // Two declined questions, each naming its group's secret: one asked where hr may be read, one in the open.
    const store = new FeedbackStore(path.join(dir, 'data'));
    const declined = { text: "I couldn't find that in the docs.", citations: [], grounding: { verdict: 'unsupported' as const, confidence: 0 }, mode: 'extractive' as const, toolsUsed: [], llm: { calls: 0, promptTokens: 0, completionTokens: 0 }, timingsMs: {} };
    for (const [group, channelId, groups] of [['hr', SLACK.hrChannel, ['hr']], ['public', SLACK.openChannel, ['public']]] as const) {
      store.remember({ question: `What does ${SECRETS[group]} unlock?`, asker: { id: 'UX' }, platform: 'slack', channelId, history: [], accessGroups: [...groups] }, declined, `gap-${group}`);
    }
    store.close();
    for (const [channel, id, readable] of [[SLACK.openChannel, 'gaps-open', ['public']], [SLACK.hrChannel, 'gaps-hr', ['hr']]] as const) {
      await sendCommand(`${base}/slack/events`, SIGNING, commandFields({ command: '/cairn-gaps', user_id: 'UADMIN', channel_id: channel, response_url: slack.responseUrl(id) }));
      await slack.waitFor(() => slack.responsesTo(id).length > 0, 30_000, '/cairn-gaps');
      const shown = check(JSON.stringify(slack.responsesTo(id)[0]!.body), [...readable], `/cairn-gaps in ${channel}`);
      expect(shown, `/cairn-gaps in ${channel} lists what it may`).toEqual(expect.arrayContaining([...readable]));
    }
  }, 60_000);

  it('Slack and Discord: the weekly gaps summary in a public admin channel leaves out a question asked where hr may be read, and its documents', async () => {
    const summaries = {
      slack: () => slack.botMessages(SLACK.openChannel).filter((m) => String(m.text).includes('Weekly coverage gaps')),
      discord: () => discord.messagesIn(DISCORD.open).filter((m) => m.author?.id === discord.botUser.id && String(m.content).includes('Weekly coverage gaps')),
    };
    // cairn start posted the week it started in (nothing weak had been asked yet).
    await slack.waitFor(() => summaries.slack().length === 1, 30_000, 'the summary posted at start');
    await discord.until(() => summaries.discord().length === 1, 30_000);
    // A week later (the clock moved on; the start's own schedule is still a week away), over the same app and its claims.
    const week = 7 * 86_400_000;
    const later = startCairnGapsSummary(app.cairn, app.surfaces, { now: () => Date.now() + week });
    try {
      await slack.waitFor(() => summaries.slack().length === 2, 30_000, 'the next week’s summary');
      await discord.until(() => summaries.discord().length === 2, 30_000);
    } finally {
      await later.stop();
    }
    // The /cairn-gaps row above recorded a declined question in each of CHR (hr) and COPEN (public).
    for (const [where, text] of [['Slack', JSON.stringify(summaries.slack()[1])], ['Discord', JSON.stringify(summaries.discord()[1])]] as const) {
      expect(check(text, ['public'], `${where}: the weekly gaps summary in a public admin channel`), `${where} lists the public question`).toEqual(['public']);
    }
  }, 60_000);

  it('Slack and Discord: an attachment reaches its own reply only: never indexed, and (below) never logged, recorded, exported or searched for on the web', async () => {
    const indexed = await app.cairn.runtime.store.listDocuments();
    const mark = slackMark();
    ts += 1;
    const own = `1700000000.${String(ts).padStart(6, '0')}`;
    const file = slack.addFile({ name: 'my-notes.txt', mimetype: 'text/plain', content: `My notes on the annual bonus pool and the welcome guide: ${ATTACHED}.\n` });
    await sendEvent(`${base}/slack/events`, SIGNING, eventEnvelope(fileShareEvent({ channel: SLACK.openChannel, user: SLACK.plainUser, text: `<@UBOT> ${QUESTION}`, files: [file], ts: own })));
    await slack.waitFor(() => slack.botMessages(SLACK.openChannel).some((m) => m.thread_ts === own && (m.blocks ?? []).some((b) => b.type === 'actions')), 30_000, 'the answer with an attachment');
    const shown = JSON.stringify(slackSince(mark, SLACK.openChannel));
    saw(check(shown, ['public'], 'a question with an attachment in an open channel'));
    // The hostile model quoted it, so the checks below are not vacuous.
    expect(shown).toContain(ATTACHED);
    expect(shown).toContain('Your attachment my-notes.txt');
    expect(await app.cairn.runtime.store.listDocuments()).toEqual(indexed);

    const from = discord.calls.length;
    const asked = discord.say(DISCORD.open, `<@${discord.botUser.id}> ${QUESTION}`, undefined, [{ name: 'my-notes.md', contentType: 'text/markdown', content: `# Notes\n\nOn the welcome guide: ${ATTACHED}.\n` }]);
    await discord.until(() => discord.messagesIn(asked.id).find((m) => m.author?.id === discord.botUser.id && (m.components ?? []).length > 0), 30_000);
    const onDiscord = JSON.stringify(discordSince(from));
    saw(check(onDiscord, ['public'], 'a Discord question with an attachment in an open channel'));
    expect(onDiscord).toContain(ATTACHED);
    expect(onDiscord).toContain('Your attachment my-notes.md');
    expect(await app.cairn.runtime.store.listDocuments()).toEqual(indexed);
  }, 60_000);

  /** /ask by a user with the eng group in an open channel: the answer may draw on eng, so only the asker sees it. */
  async function engAskInOpenChannel(where: string): Promise<void> {
    const mark = discord.calls.length;
    const it = discord.command('ask', { question: QUESTION }, { channelId: DISCORD.open, userId: DISCORD.engUser });
    const deferred = await discord.waitFor((c) => c.path === `/interactions/${it.id}/${it.token}/callback`);
    await discord.waitFor((c) => c.method === 'PATCH' && c.path.includes(it.token) && (c.body.components ?? []).length > 0, 30_000);
    expect(deferred.body.data?.flags, 'an answer drawing on eng is private to the asker').toBe(64);
    saw(check(JSON.stringify(discordSince(mark)), ['eng'], where));
  }

  it('Discord: a forum post in a mapped forum, and /ask from a user with private groups in an open channel', async () => {
    let mark = discord.calls.length;
    const post = discord.forumPost(DISCORD.forum, 'Question', `<@${discord.botUser.id}> ${QUESTION}`);
    await discord.until(() => discord.messagesIn(post.id).find((m) => m.author?.id === discord.botUser.id && (m.components ?? []).length > 0), 30_000);
    saw(check(JSON.stringify(discordSince(mark)), ['eng'], 'Discord forum post'));

    await engAskInOpenChannel('Discord /ask by an eng user (ephemeral)');

    mark = discord.calls.length;
    const plain = discord.command('ask', { question: QUESTION }, { channelId: DISCORD.open });
    await discord.waitFor((c) => c.method === 'PATCH' && c.path.includes(plain.token) && (c.body.components ?? []).length > 0, 30_000);
    saw(check(JSON.stringify(discordSince(mark)), ['public'], 'Discord /ask in an open channel'));
  }, 120_000);

  it('Slack: support channels (switched on by an admin) answer unmentioned questions with the channel’s groups only', async () => {
    const channelCommand = (channel: string, text: string) =>
      sendCommand(`${base}/slack/events`, SIGNING, commandFields({ command: '/cairn-channel', text, user_id: 'UADMIN', channel_id: channel, response_url: slack.responseUrl() }));
    for (const [channel, readable] of [[SLACK.hrChannel, ['hr']], [SLACK.openChannel, ['public']]] as const) {
      expect(JSON.parse((await channelCommand(channel, 'auto on')).body).text).toMatch(/now \*on\*/);
      const mark = slackMark();
      ts += 1;
      const own = `1700000000.${String(ts).padStart(6, '0')}`;
      // Asked by someone who may read hr alone: the channel's audience still decides.
      await sendEvent(`${base}/slack/events`, SIGNING, eventEnvelope({ type: 'message', channel_type: 'channel', channel, user: SLACK.hrUser, text: QUESTION, ts: own }));
      await slack.waitFor(() => slack.botMessages(channel).some((m) => m.thread_ts === own && (m.blocks ?? []).some((b) => b.type === 'actions')), 30_000, `the support answer in ${channel}`);
      saw(check(JSON.stringify(slackSince(mark, channel)), readable, `support channel ${channel}`));
      await channelCommand(channel, 'auto off');
    }
  }, 120_000);

  it('Discord: a new post in a forum switched to auto-answer, without a mention, cites only what the forum may read', async () => {
    const first = discord.forumPost(DISCORD.forum, 'Setup', 'How do I join the beta?');
    const channelCommand = async (auto: 'on' | 'off') => {
      const it = discord.command('cairn-channel', { auto }, { channelId: first.id, roles: [DISCORD.adminRole] });
      const reply = await discord.waitFor((c) => c.path === `/interactions/${it.id}/${it.token}/callback`);
      expect(reply.body.data.content).toMatch(new RegExp(`now \\*\\*${auto}\\*\\*`));
    };
    await channelCommand('on');
    const mark = discord.calls.length;
    const post = discord.forumPost(DISCORD.forum, 'Bonus and roadmap', QUESTION, user(DISCORD.engUser, 'eve'));
    await discord.until(() => discord.messagesIn(post.id).find((m) => m.author?.id === discord.botUser.id && (m.components ?? []).length > 0), 30_000);
    saw(check(JSON.stringify(discordSince(mark)), ['eng'], 'Discord forum post answered without a mention'));
    await channelCommand('off');
  }, 120_000);

  it('Discord: /ask private by an eng user in an open channel is seen by them alone, and Share there is refused with nothing posted', async () => {
    const mark = discord.calls.length;
    const it = discord.command('ask', { question: QUESTION, private: true }, { channelId: DISCORD.open, userId: DISCORD.engUser });
    const deferred = await discord.waitFor((c) => c.path === `/interactions/${it.id}/${it.token}/callback`);
    await discord.waitFor((c) => c.method === 'PATCH' && c.path.includes(it.token) && (c.body.components ?? []).length > 0, 30_000);
    expect(deferred.body.data?.flags).toBe(64);
    saw(check(JSON.stringify(discordSince(mark)), ['eng'], 'Discord /ask private by an eng user'));
    const answer = discord.messagesIn(DISCORD.open).findLast((m) => (m.components ?? []).some((r: { components: Array<{ custom_id: string }> }) => r.components.some((b) => b.custom_id.startsWith('cairn:share:'))));
    const share = answer.components.flatMap((r: { components: Array<{ custom_id: string }> }) => r.components).find((b: { custom_id: string }) => b.custom_id.startsWith('cairn:share:'));
    const before = discord.calls.length;
    const click = discord.click(answer, share.custom_id, DISCORD.engUser);
    await discord.waitFor((c) => c.method === 'POST' && c.path.endsWith(`/${click.token}`), 30_000);
    await new Promise((r) => setTimeout(r, 200));
    const posts = discord.calls.slice(before).filter((c) => c.method === 'POST' && c.path.endsWith(`/${click.token}`));
    expect(posts.map((p) => p.body.flags), 'only the refusal, to the clicker alone').toEqual([64]);
    expect(posts[0]!.body.content).toMatch(/can't share this answer here/);
    check(JSON.stringify(posts), ['eng'], 'the refusal, seen by the eng user alone');
  }, 120_000);

  it('Discord over the HTTP Interactions endpoint: /ask in a post of a mapped forum, and by a user with private groups in an open channel', async () => {
    discord.deliverInteractionsTo(`${base}/discord/interactions`, discordKeys.privateKey);
    const post = discord.forumPost(DISCORD.forum, 'Over HTTP', 'a post without a mention');
    const mark = discord.calls.length;
    const inPost = discord.command('ask', { question: QUESTION }, { channelId: post.id });
    await discord.waitFor((c) => c.method === 'PATCH' && c.path.includes(inPost.token) && (c.body.components ?? []).length > 0, 30_000);
    expect(discord.endpointReplies.find((r) => r.interactionId === inPost.id)?.status).toBe(202);
    saw(check(JSON.stringify(discordSince(mark)), ['eng'], 'Discord /ask over HTTP in a forum post'));

    await engAskInOpenChannel('Discord /ask over HTTP by an eng user (ephemeral)');
  }, 120_000);

  it('the hostile model really quoted what each place may read (the checks above are not vacuous)', () => {
    expect(quoted.hr ?? 0).toBeGreaterThan(0);
    expect(quoted.eng ?? 0).toBeGreaterThan(0);
    expect(quoted.public ?? 0).toBeGreaterThan(0);
  });

  it('web search (which leaves the machine) only ever carried public text', () => {
    expect(webQueries.length).toBeGreaterThan(0);
    check(webQueries.join('\n'), ['public'], 'web_search queries');
    expect(webQueries.join('\n')).not.toContain(ATTACHED);
  });

  it('logs at the default level and /metrics hold no secret at all', async () => {
    expect(logs.length).toBeGreaterThan(0);
    check(logs, [], 'the log');
    expect(logs).not.toContain(ATTACHED);
    expect(logs, 'an attachment is logged by its name').toContain('my-notes.txt');
    check(await (await fetch(`${base}/metrics`)).text(), [], '/metrics');
  });

  it('exports: the fine-tuning export holds only public text by default, and every eval case records its groups', async () => {
    // 👍 and 👎 every Slack answer so both exports have something to hold.
    for (const m of slack.calls.filter((c) => c.method === 'chat.update')) {
      const actions = (m.args.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }> | undefined)?.find((b) => b.type === 'actions');
      for (const el of actions?.elements ?? []) {
        await sendAction(`${base}/slack/events`, SIGNING, buttonClick({ actionId: el.action_id, value: el.value, user: 'UVOTER', channel: String(m.args.channel), messageTs: String(m.args.ts), response_url: slack.responseUrl('vote') }));
      }
    }
    stubEnv({ CAIRN_DATA_DIR: path.join(dir, 'data') });
    try {
      const sft = path.join(dir, 'sft.jsonl');
      expect((await cairn('export', 'sft', '--out', sft)).code).toBe(0);
      check(await readFile(sft, 'utf8'), ['public'], 'cairn export sft');
      expect(await readFile(sft, 'utf8')).not.toContain(ATTACHED);
      const cases = path.join(dir, 'cases');
      expect((await cairn('feedback', 'export', '--out', cases)).code).toBe(0);
      const queries = (await readFile(path.join(cases, 'queries.jsonl'), 'utf8')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { _id: string; metadata: { access_groups?: string[] } });
      const answers = new Map((await readFile(path.join(cases, 'answers.jsonl'), 'utf8')).trim().split('\n').filter(Boolean).map((l) => [JSON.parse(l)._id as string, l]));
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) check(answers.get(q._id)!, (q.metadata.access_groups ?? []) as Group[], `eval case ${q._id}`);
      expect([...answers.values()].join('\n')).not.toContain(ATTACHED);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 60_000);
});
