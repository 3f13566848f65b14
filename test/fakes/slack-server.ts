/**
 * A local Slack for driving the real @slack/bolt App offline: the Web API methods Cairn uses (with a
 * message store so chat.update, conversations.replies and conversations.history behave),
 * response_url endpoints, a Socket Mode WebSocket, and helpers that deliver signed Events API
 * requests, slash commands, button clicks and modal submissions.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  blocks?: { type: string; block_id?: string; text?: { text: string }; elements?: unknown[] }[];
  /** Message metadata: returned by conversations.replies only with include_all_metadata, as Slack does. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Set on a message begun with chat.startStream: in_progress until chat.stopStream completes it. */
  streaming_state?: 'in_progress' | 'completed';
  edits: number;
  /** When it was posted and last edited (ms since epoch), for latency measurements. */
  postedAt: number;
  editedAt?: number;
}

export interface ApiCall { method: string; args: Record<string, unknown>; token: string | undefined; at: number }
export interface ResponseCall { id: string; body: Record<string, unknown>; at: number }

export interface FakeSlackOptions { botUserId?: string; botId?: string; teamId?: string; appId?: string }

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

export async function startFakeSlack(opts: FakeSlackOptions = {}) {
  const bot = { userId: opts.botUserId ?? 'UBOT', botId: opts.botId ?? 'BBOT', teamId: opts.teamId ?? 'T1', appId: opts.appId ?? 'A1' };
  const calls: ApiCall[] = [];
  const responses: ResponseCall[] = [];
  const messages: StoredMessage[] = [];
  const failures = new Map<string, string[]>();
  const delays = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  /** Cairn's own IMs: channel → the user at the other end. Any other D… channel is a DM between people. */
  const ims = new Map<string, string>();
  const acks = new Map<string, (payload: unknown) => void>();
  let clock = 0;
  const nextTs = () => {
    clock += 1;
    return `${1_700_000_000 + Math.floor(clock / 1000)}.${String((clock % 1000) * 100).padStart(6, '0')}`;
  };

  const streamingMessage = (a: Record<string, unknown>): StoredMessage => {
    requireArgs(a, 'channel', 'ts');
    const m = messages.find((x) => x.channel === a.channel && x.ts === a.ts);
    if (!m) throw new SlackApiError('message_not_found');
    if (m.streaming_state !== 'in_progress') throw new SlackApiError('message_not_in_streaming_state');
    return m;
  };

  const methods: Record<string, (a: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ user_id: bot.userId, bot_id: bot.botId, team_id: bot.teamId, user: 'cairn', team: 'Test' }),
    'apps.connections.open': () => ({ url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}` }),
    'chat.postMessage': (a) => {
      const m: StoredMessage = { type: 'message', channel: String(a.channel), ts: nextTs(), user: bot.userId, bot_id: bot.botId, edits: 0, postedAt: Date.now(), ...pickContent(a), ...pickMetadata(a) };
      if (a.thread_ts) m.thread_ts = String(a.thread_ts);
      messages.push(m);
      return { channel: m.channel, ts: m.ts, message: m };
    },
    'chat.update': (a) => {
      const m = messages.find((x) => x.channel === a.channel && x.ts === a.ts);
      if (!m) throw new SlackApiError('message_not_found');
      Object.assign(m, pickContent(a), pickMetadata(a));
      m.edits += 1;
      m.editedAt = Date.now();
      return { channel: m.channel, ts: m.ts, text: m.text };
    },
    'chat.postEphemeral': () => ({ message_ts: nextTs() }),
    'reactions.add': () => ({}),
    // Opening a modal shows nothing here; tests read the call (trigger_id, view) from `calls`.
    'views.open': (a) => {
      if (!a.trigger_id) throw new SlackApiError('invalid_arguments');
      return { view: { id: `V${randomUUID().slice(0, 8)}`, ...(a.view as Record<string, unknown>) } };
    },
    // As Slack answers a bot: its own IMs in full, anything it is not a member of as channel_not_found.
    'conversations.info': (a) => {
      const channel = String(a.channel);
      const user = ims.get(channel);
      if (user) return { channel: { id: channel, is_im: true, user, is_org_shared: false } };
      if (channel.startsWith('D')) throw new SlackApiError('channel_not_found');
      return { channel: { id: channel, is_im: false, is_channel: true, name: channel.toLowerCase() } };
    },
    'conversations.replies': (a) => ({
      messages: messages
        .filter((m) => m.channel === a.channel && (m.ts === a.ts || m.thread_ts === a.ts))
        .sort((x, y) => x.ts.localeCompare(y.ts))
        .map((m) => (truthy(a.include_all_metadata) ? m : { ...m, metadata: undefined })),
      has_more: false,
    }),
    // The AI-app surface (docs.slack.dev/reference/methods/assistant.threads.*): recorded in `calls`, checked for their required arguments.
    'assistant.threads.setStatus': (a) => {
      requireArgs(a, 'channel_id', 'thread_ts');
      if (typeof a.status !== 'string') throw new SlackApiError('invalid_arguments');
      return {};
    },
    'assistant.threads.setSuggestedPrompts': (a) => {
      requireArgs(a, 'channel_id', 'thread_ts');
      const prompts = a.prompts as Array<{ title?: unknown; message?: unknown }> | undefined;
      if (!Array.isArray(prompts) || prompts.length === 0 || prompts.length > 4 || prompts.some((p) => typeof p.title !== 'string' || typeof p.message !== 'string')) {
        throw new SlackApiError('invalid_arguments');
      }
      return {};
    },
    'assistant.threads.setTitle': (a) => {
      requireArgs(a, 'channel_id', 'thread_ts', 'title');
      return {};
    },
    // Streaming (docs.slack.dev/reference/methods/chat.startStream, appendStream, stopStream): one message
    // whose text grows with each call until it is stopped; recipients are required outside DMs.
    'chat.startStream': (a) => {
      requireArgs(a, 'channel', 'thread_ts');
      if (!String(a.channel).startsWith('D') && (!a.recipient_user_id || !a.recipient_team_id)) throw new SlackApiError('missing_recipient_user_id');
      const m: StoredMessage = {
        type: 'message', channel: String(a.channel), ts: nextTs(), thread_ts: String(a.thread_ts), user: bot.userId, bot_id: bot.botId,
        text: streamedText(a), streaming_state: 'in_progress', edits: 0, postedAt: Date.now(),
      };
      messages.push(m);
      return { channel: m.channel, ts: m.ts };
    },
    'chat.appendStream': (a) => {
      const m = streamingMessage(a);
      m.text = `${m.text ?? ''}${streamedText(a)}`;
      return { channel: m.channel, ts: m.ts };
    },
    'chat.stopStream': (a) => {
      const m = streamingMessage(a);
      m.text = `${m.text ?? ''}${streamedText(a)}`;
      m.streaming_state = 'completed';
      if (Array.isArray(a.blocks)) m.blocks = [...(m.blocks ?? []), ...(a.blocks as NonNullable<StoredMessage['blocks']>)];
      Object.assign(m, pickMetadata(a));
      return { channel: m.channel, ts: m.ts, message: m };
    },
    // Top-level messages (and thread parents) of a channel before `latest`, newest first, as Slack lists them.
    'conversations.history': (a) => {
      const latest = a.latest === undefined ? undefined : String(a.latest);
      const inclusive = a.inclusive === true || a.inclusive === 'true' || a.inclusive === '1';
      const found = messages
        .filter((m) => m.channel === a.channel && (!m.thread_ts || m.thread_ts === m.ts))
        .filter((m) => latest === undefined || (inclusive ? m.ts.localeCompare(latest) <= 0 : m.ts.localeCompare(latest) < 0))
        .sort((x, y) => y.ts.localeCompare(x.ts));
      const limit = Number(a.limit ?? 100);
      return { messages: found.slice(0, limit), has_more: found.length > limit };
    },
  };

  const server: Server = createServer((req, res) => {
    void readBody(req).then(async (raw) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (url.pathname.startsWith('/response/')) {
        responses.push({ id: url.pathname.slice('/response/'.length), body: JSON.parse(raw || '{}') as Record<string, unknown>, at: Date.now() });
        return reply(200, { ok: true });
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const args = parseArgs(raw, req.headers['content-type']);
      calls.push({ method, args, token: req.headers.authorization?.replace(/^Bearer /, ''), at: Date.now() });
      const wait = delays.get(method);
      if (wait) await new Promise((r) => setTimeout(r, wait));
      const forced = failures.get(method)?.shift();
      if (forced) return reply(200, { ok: false, error: forced });
      const handler = methods[method];
      if (!handler) return reply(200, { ok: false, error: 'unknown_method' });
      try {
        return reply(200, { ok: true, ...handler(args) });
      } catch (err) {
        return reply(200, { ok: false, error: err instanceof SlackApiError ? err.message : 'internal_error' });
      }
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/link/')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) acks.get(msg.envelope_id)?.(msg.payload);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: bot.appId }, debug_info: {} }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  /** Sends one Socket Mode envelope and resolves with the app's ack payload. */
  const sendEnvelope = (type: string, payload: unknown, acceptsResponse: boolean, retryAttempt = 0): Promise<unknown> => {
    const ws = [...sockets][0];
    if (!ws) return Promise.reject(new Error('no Socket Mode connection'));
    const envelopeId = randomUUID();
    const acked = new Promise<unknown>((resolve) => acks.set(envelopeId, resolve));
    ws.send(JSON.stringify({ envelope_id: envelopeId, type, accepts_response_payload: acceptsResponse, retry_attempt: retryAttempt, retry_reason: '', payload }));
    return acked;
  };

  return {
    bot,
    apiUrl: `${base}/api/`,
    calls,
    responses,
    messages,
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** A response_url served here; each command gets its own id so its posts can be told apart. */
    responseUrl: (id: string = randomUUID()) => `${base}/response/${id}`,
    responsesTo: (id: string) => responses.filter((r) => r.id === id),
    /** Stores a user's message as Slack would, so conversations.replies/history return it later; `ts` backdates it. */
    addUserMessage(m: { channel: string; user: string; text: string; thread_ts?: string; ts?: string }): StoredMessage {
      const stored: StoredMessage = { type: 'message', ts: nextTs(), edits: 0, postedAt: Date.now(), ...m };
      messages.push(stored);
      return stored;
    },
    /** Stores a message the bot posted earlier (e.g. before a restart), without an API call. */
    addBotMessage(m: { channel: string; text: string; thread_ts?: string; ts?: string }): StoredMessage {
      const stored: StoredMessage = { type: 'message', ts: nextTs(), user: bot.userId, bot_id: bot.botId, edits: 0, postedAt: Date.now(), ...m };
      messages.push(stored);
      return stored;
    },
    /** Makes `channel` Cairn's own DM with `user` (conversations.info then says so). */
    addIm: (channel: string, user: string) => void ims.set(channel, user),
    botMessages: (channel?: string) => messages.filter((m) => m.bot_id === bot.botId && (!channel || m.channel === channel)),
    failNext: (method: string, error: string) => failures.set(method, [...(failures.get(method) ?? []), error]),
    delay: (method: string, ms: number) => delays.set(method, ms),
    /** Resolves once `check` holds; polled, so a check over many messages stays cheap in a burst. */
    waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
          if (check()) return resolve();
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
          setTimeout(poll, 15);
        };
        poll();
      });
    },
    socketConnections: () => sockets.size,
    sendSocketEvent: (body: Record<string, unknown>, retryAttempt = 0) => sendEnvelope('events_api', body, false, retryAttempt),
    sendSocketCommand: (fields: Record<string, string>) => sendEnvelope('slash_commands', fields, true),
    async close(): Promise<void> {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

class SlackApiError extends Error {}

function pickContent(a: Record<string, unknown>): Pick<StoredMessage, 'text' | 'blocks'> {
  return {
    ...(a.text !== undefined ? { text: String(a.text) } : {}),
    ...(a.blocks !== undefined ? { blocks: a.blocks as StoredMessage['blocks'] } : {}),
  };
}

function pickMetadata(a: Record<string, unknown>): Pick<StoredMessage, 'metadata'> {
  return a.metadata !== undefined ? { metadata: a.metadata as StoredMessage['metadata'] } : {};
}

/** The text a streaming call carries: `markdown_text`, or its markdown_text chunks. */
function streamedText(a: Record<string, unknown>): string {
  const chunks = Array.isArray(a.chunks) ? (a.chunks as Array<{ type?: string; text?: string }>) : [];
  return `${typeof a.markdown_text === 'string' ? a.markdown_text : ''}${chunks.filter((c) => c.type === 'markdown_text').map((c) => c.text ?? '').join('')}`;
}

function requireArgs(a: Record<string, unknown>, ...names: string[]): void {
  for (const n of names) if (typeof a[n] !== 'string' || a[n] === '') throw new SlackApiError(`invalid_arguments`);
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

/** The Web API client sends arrays and objects form-encoded as JSON strings. */
const JSON_ARGS = new Set(['blocks', 'attachments', 'prompts', 'chunks', 'metadata', 'loading_messages']);

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) args[k] = JSON_ARGS.has(k) ? JSON.parse(v) : v;
  return args;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// ---- Delivering requests to the app, as Slack does ----

export interface Delivery { status: number; body: string; ms: number }

/** Signs like Slack: v0=hex(HMAC_SHA256(secret, `v0:${ts}:${body}`)). */
export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export async function deliver(
  url: string,
  secret: string,
  rawBody: string,
  contentType: string,
  opts: { retryNum?: number; badSignature?: boolean; timestamp?: number } = {},
): Promise<Delivery> {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': opts.badSignature ? slackSignature('wrong-secret', ts, rawBody) : slackSignature(secret, ts, rawBody),
  };
  if (opts.retryNum !== undefined) Object.assign(headers, { 'x-slack-retry-num': String(opts.retryNum), 'x-slack-retry-reason': 'http_timeout' });
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  return { status: res.status, body: await res.text(), ms: performance.now() - started };
}

/** An Events API envelope around one event. */
export function eventEnvelope(event: Record<string, unknown>, opts: { eventId?: string; teamId?: string; appId?: string } = {}): Record<string, unknown> {
  return {
    token: 'legacy', team_id: opts.teamId ?? 'T1', api_app_id: opts.appId ?? 'A1', type: 'event_callback',
    event_id: opts.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 12)}`, event_time: Math.floor(Date.now() / 1000), event,
  };
}

/** An assistant_thread_started or assistant_thread_context_changed event: a user opened Cairn's panel beside `viewing`. */
export function assistantThreadEvent(
  type: 'assistant_thread_started' | 'assistant_thread_context_changed',
  f: { user: string; channel: string; threadTs: string; viewing?: string; teamId?: string },
): Record<string, unknown> {
  const context = f.viewing ? { channel_id: f.viewing, team_id: f.teamId ?? 'T1', enterprise_id: null } : {};
  return { type, assistant_thread: { user_id: f.user, context, channel_id: f.channel, thread_ts: f.threadTs }, event_ts: String(Date.now() / 1000) };
}

export const sendEvent = (url: string, secret: string, envelope: Record<string, unknown>, opts: Parameters<typeof deliver>[4] = {}) =>
  deliver(url, secret, JSON.stringify(envelope), 'application/json', opts);

export function commandFields(f: { command: string; text?: string; user_id: string; channel_id: string; response_url: string }): Record<string, string> {
  return {
    token: 'legacy', team_id: 'T1', team_domain: 'test', channel_name: f.channel_id.startsWith('D') ? 'directmessage' : 'general', user_name: f.user_id.toLowerCase(),
    api_app_id: 'A1', trigger_id: randomUUID(), text: f.text ?? '', command: f.command, user_id: f.user_id, channel_id: f.channel_id, response_url: f.response_url,
  };
}

export const sendCommand = (url: string, secret: string, fields: Record<string, string>) =>
  deliver(url, secret, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');

/**
 * A block_actions click on a button of a message. On an ephemeral message Slack sends no `message`
 * and marks the container `is_ephemeral`; on a message in a thread, `message.thread_ts` says which.
 */
export function buttonClick(f: { actionId: string; value: string; user: string; channel: string; messageTs: string; response_url: string; ephemeral?: boolean; threadTs?: string }): Record<string, unknown> {
  return {
    type: 'block_actions', team: { id: 'T1', domain: 'test' }, user: { id: f.user, username: f.user.toLowerCase() }, api_app_id: 'A1', token: 'legacy',
    trigger_id: randomUUID(), response_url: f.response_url, channel: { id: f.channel, name: 'general' },
    container: { type: 'message', message_ts: f.messageTs, channel_id: f.channel, is_ephemeral: f.ephemeral ?? false },
    ...(f.ephemeral ? {} : { message: { type: 'message', ts: f.messageTs, ...(f.threadTs ? { thread_ts: f.threadTs } : {}) } }),
    actions: [{ type: 'button', action_id: f.actionId, block_id: 'cairn_feedback', value: f.value, action_ts: String(Date.now() / 1000) }],
  };
}

export const sendAction = (url: string, secret: string, payload: Record<string, unknown>) =>
  deliver(url, secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');

/** A view_submission of a modal: `values` maps block_id → action_id → the input's value. */
export function viewSubmission(f: { callbackId: string; user: string; privateMetadata: string; values: Record<string, Record<string, string | null>> }): Record<string, unknown> {
  const state = Object.fromEntries(Object.entries(f.values).map(([block, inputs]) =>
    [block, Object.fromEntries(Object.entries(inputs).map(([action, value]) => [action, { type: 'plain_text_input', value }]))]));
  return {
    type: 'view_submission', team: { id: 'T1', domain: 'test' }, user: { id: f.user, name: f.user.toLowerCase(), team_id: 'T1' }, api_app_id: 'A1', token: 'legacy',
    trigger_id: randomUUID(), response_urls: [],
    view: {
      id: 'V1', team_id: 'T1', type: 'modal', callback_id: f.callbackId, private_metadata: f.privateMetadata, state: { values: state },
      hash: 'h', title: { type: 'plain_text', text: 'modal' }, blocks: [], app_id: 'A1', bot_id: 'BBOT',
    },
  };
}
