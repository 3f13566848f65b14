/**
 * A small stateful stand-in for Discord (REST v10 + gateway) on 127.0.0.1, enough for the real
 * discord.js Client to log in, receive messages and interactions, and answer them. Every REST call
 * is recorded so tests can assert what the bot sent. See /work/shared/notes/chat-protocols-offline.md.
 */
import { sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { sendFakeFile } from './serve-file.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- Discord payloads are loosely typed JSON here. */
type Json = any;
/** A Discord payload as the fake stores it (message, channel, …). */
export type DiscordPayload = Json;

export interface RecordedCall {
  method: string;
  /** Decoded path below /api/v10, e.g. `/webhooks/app/token/messages/@original`. */
  path: string;
  query: URLSearchParams;
  body: Json;
  authorization: string | undefined;
}

export interface FakeGuild {
  id: string;
  channels: { id: string; name: string; forum?: boolean }[];
  roles?: string[];
}

/** A file a user attaches to a message: `content` is served as is; `size` alone only declares it (a 50 MB upload without 50 MB in the test). */
export interface FakeFile { name: string; contentType?: string; content?: string | Buffer; size?: number }

export interface FakeDiscordOptions {
  botId?: string;
  applicationId?: string;
  guilds: FakeGuild[];
  /** The `shards` GET /gateway/bot recommends (DISCORD_SHARD_COUNT=auto). Default 1. */
  recommendedShards?: number;
}

/** One gateway connection; `shard` is [id, count] from its IDENTIFY, null before it identifies. */
interface GatewayConnection {
  ws: WebSocket;
  shard: [number, number] | null;
}

/** What the app's Interactions Endpoint URL answered to one interaction Discord posted to it. */
export interface EndpointReply {
  interactionId: string;
  /** The exact body posted, so a test can deliver it again. */
  payload: string;
  status: number;
  body: string;
}

const EPOCH = 1420070400000n;
const CHANNEL_TEXT = 0;
const CHANNEL_DM = 1;
const CHANNEL_GROUP_DM = 3;
const CHANNEL_FORUM = 15;
const CHANNEL_PUBLIC_THREAD = 11;

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  /** The `d` of the client's last IDENTIFY (token, intents, properties). */
  identified: Json = null;
  readonly botUser: Json;
  readonly applicationId: string;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly connections: GatewayConnection[] = [];
  /** Every IDENTIFY, in order: which shard, and when. */
  readonly identifies: { shard: number; shardCount: number; at: number }[] = [];
  /** Set by `deliverInteractionsTo`: interactions are then POSTed there, signed, instead of sent over the gateway. */
  private endpoint: { url: string; key: KeyObject } | null = null;
  readonly endpointReplies: EndpointReply[] = [];
  private seq = 0;
  private idCounter = 0n;
  private readonly channels = new Map<string, Json>();
  private readonly files = new Map<string, { content?: Buffer; size: number }>();
  /** Every attachment download, with how many bytes were sent before the reader stopped. */
  readonly downloads: Array<{ id: string; bytesSent: number }> = [];
  private readonly messages = new Map<string, Json[]>();
  private readonly interactions = new Map<string, Json>();
  private readonly waiters = new Set<() => void>();
  private readonly failures: ((c: RecordedCall) => boolean)[] = [];
  private readyResolve!: () => void;
  /** Resolves once READY and every GUILD_CREATE were sent. */
  readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));

  private constructor(private readonly opts: FakeDiscordOptions) {
    this.botUser = user(opts.botId ?? '900000000000000001', 'Cairn', true);
    this.applicationId = opts.applicationId ?? '900000000000000002';
    for (const g of opts.guilds) {
      for (const c of g.channels) this.channels.set(c.id, { id: c.id, type: c.forum ? CHANNEL_FORUM : CHANNEL_TEXT, guild_id: g.id, name: c.name, position: 0, permission_overwrites: [], parent_id: null, nsfw: false, rate_limit_per_user: 0, last_message_id: null, topic: null });
    }
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.onGateway(ws));
  }

  static async start(opts: FakeDiscordOptions): Promise<FakeDiscord> {
    const fake = new FakeDiscord(opts);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The REST base to give discord.js (`rest.api`, DISCORD_API_URL). */
  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── what a test does as a user ────────────────────────────────────────────

  /**
   * A user posts a message; `<@botId>` in `content` mentions the bot. `files` become the message's
   * `attachments` (Discord's attachment objects), served from this server as the CDN serves them;
   * a file given only a `size` is declared that large and streamed as generated bytes. Returns the stored message.
   */
  say(channelId: string, content: string, author: Json = user('100000000000000001', 'alice'), files: FakeFile[] = []): Json {
    const channel = this.channels.get(channelId) ?? this.openDm(channelId);
    const msg = this.store(channelId, { ...this.message(channel, author, content), attachments: files.map((f) => this.hostFile(channelId, f)) });
    this.dispatch('MESSAGE_CREATE', { ...msg, ...(channel.type === CHANNEL_DM ? { channel_type: CHANNEL_DM } : {}) }, true);
    return msg;
  }

  /** The shards with an identified gateway connection open now, one entry per connection (so a shard connected twice shows twice). */
  connectedShards(): number[] {
    return this.connections.filter((c) => c.shard && c.ws.readyState === c.ws.OPEN).map((c) => c.shard![0]).sort((a, b) => a - b);
  }

  /**
   * From now on, interactions are delivered as Discord does for an app with an Interactions Endpoint
   * URL: POSTed to `url`, signed with `privateKey` (Ed25519 over timestamp + body), never over the gateway.
   */
  deliverInteractionsTo(url: string, privateKey: KeyObject): void {
    this.endpoint = { url, key: privateKey };
  }

  /**
   * A member opens a post in a forum channel: a public thread owned by them whose first message has
   * the thread's id, as Discord creates it. Returns the thread.
   */
  forumPost(forumId: string, title: string, content: string, author: Json = user('100000000000000001', 'alice')): Json {
    const forum = this.channels.get(forumId);
    if (forum?.type !== CHANNEL_FORUM) throw new Error(`FakeDiscord: ${forumId} is not a forum channel`);
    const id = this.snowflake();
    const thread = {
      id, type: CHANNEL_PUBLIC_THREAD, guild_id: forum.guild_id, parent_id: forumId, owner_id: author.id, name: title,
      last_message_id: id, rate_limit_per_user: 0, message_count: 1, member_count: 1, flags: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    };
    this.channels.set(id, thread);
    this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    const msg = this.store(id, { ...this.message(thread, author, content), id });
    this.dispatch('MESSAGE_CREATE', msg);
    return thread;
  }

  /**
   * A user invokes a slash command. Returns the interaction's id and token. `between` runs it as a
   * user-installed command in a DM (`dm`) or group DM (`group`) between people that Cairn is not part
   * of: Discord then sends context 2 (PrivateChannel).
   */
  command(name: string, options: Record<string, string | boolean>, where: { channelId: string; userId?: string; roles?: string[]; between?: 'dm' | 'group' }): { id: string; token: string } {
    // A string option is type 3, a boolean one type 5, as Discord sends them.
    const typed = Object.entries(options).map(([n, value]) => ({ name: n, type: typeof value === 'boolean' ? 5 : 3, value }));
    return this.interact(2, { id: this.snowflake(), name, type: 1, options: typed }, where);
  }

  /** A user clicks a button on a message the bot sent. */
  click(message: Json, customId: string, userId = '100000000000000001'): { id: string; token: string } {
    return this.interact(3, { custom_id: customId, component_type: 2 }, { channelId: message.channel_id, userId }, message);
  }

  /**
   * The user fills in and submits the modal the bot showed in answer to `shownOn`: a MODAL_SUBMIT
   * echoing the modal's layout with each text input's value (`''` when left empty), as Discord does.
   */
  submitModal(shownOn: { token: string }, values: Record<string, string>, userId = '100000000000000001'): { id: string; token: string } {
    const it = this.interactions.get(shownOn.token);
    if (!it?.modal) throw new Error('FakeDiscord: the bot showed no modal for that interaction');
    let ids = 0;
    const filled = (c: Json): Json => {
      if (c.type === 1) return { type: 1, id: ++ids, components: c.components.map(filled) };
      if (c.type === 18) return { type: 18, id: ++ids, component: filled(c.component) };
      if (c.type === 4) return { type: 4, id: ++ids, custom_id: c.custom_id, value: values[c.custom_id] ?? '' };
      return { type: c.type, id: ++ids };
    };
    return this.interact(5, { custom_id: it.modal.custom_id, components: it.modal.components.map(filled) }, { channelId: it.channelId, userId }, it.message ?? undefined);
  }

  /** Every message currently in a channel or thread, oldest first (edits applied). */
  messagesIn(channelId: string): Json[] {
    return [...(this.messages.get(channelId) ?? [])];
  }

  /** Makes the next REST call that matches fail with 403 Missing Permissions, as Discord would. */
  failNext(match: (c: RecordedCall) => boolean): void {
    this.failures.push(match);
  }

  channel(id: string): Json {
    return this.channels.get(id);
  }

  /** Waits until a recorded call matches, or fails after `timeoutMs`. */
  waitFor(match: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    return this.until(() => this.calls.find(match), timeoutMs);
  }

  /** Waits until `probe` returns something other than undefined/false. */
  until<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const got = probe();
        if (got === undefined || got === false) return false;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(got);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`FakeDiscord: condition not met within ${timeoutMs} ms; calls: ${this.calls.map((c) => `${c.method} ${c.path}`).join(', ')}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(wake);
    });
  }

  // ── gateway ───────────────────────────────────────────────────────────────

  private onGateway(ws: WebSocket): void {
    const conn: GatewayConnection = { ws, shard: null };
    this.connections.push(conn);
    ws.on('close', () => {
      this.connections.splice(this.connections.indexOf(conn), 1);
      for (const wake of [...this.waiters]) wake();
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45000 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const { op, d } = JSON.parse(String(raw)) as { op: number; d: Json };
      if (op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (op === 6) ws.send(JSON.stringify({ op: 9, d: false })); // no resumable sessions here: identify again
      if (op === 2) {
        this.identified = d;
        conn.shard = d.shard ?? [0, 1];
        this.identifies.push({ shard: conn.shard![0], shardCount: conn.shard![1], at: Date.now() });
        this.identify(conn);
      }
    });
    for (const wake of [...this.waiters]) wake();
  }

  /** Discord's rule: a guild's events go to shard (guild_id >> 22) % shard count; DMs to shard 0. */
  private shardOf(guildId: string | undefined, count: number): number {
    return guildId ? Number((BigInt(guildId) >> 22n) % BigInt(count)) : 0;
  }

  private identify(conn: GatewayConnection): void {
    const [shard, count] = conn.shard!;
    const guilds = this.opts.guilds.filter((g) => this.shardOf(g.id, count) === shard);
    this.send(conn, 'READY', {
      v: 10, user: this.botUser, guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: 'fake-session', resume_gateway_url: this.apiUrl.replace('http', 'ws').replace('/api', '/gateway'),
      shard: [shard, count], application: { id: this.applicationId, flags: 0 },
    });
    for (const g of guilds) {
      this.send(conn, 'GUILD_CREATE', {
        id: g.id, name: `guild ${g.id}`, icon: null, owner_id: '100000000000000009', afk_timeout: 300, verification_level: 0,
        default_message_notifications: 0, explicit_content_filter: 0, mfa_level: 0, premium_tier: 0, nsfw_level: 0,
        system_channel_flags: 0, preferred_locale: 'en-US', features: [], emojis: [], stickers: [], large: false,
        unavailable: false, member_count: 2, joined_at: new Date().toISOString(), voice_states: [], members: [],
        presences: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [], threads: [],
        roles: [g.id, ...(g.roles ?? [])].map((id, i) => ({ id, name: i === 0 ? '@everyone' : `role ${id}`, color: 0, hoist: false, position: i, permissions: '0', managed: false, mentionable: false, flags: 0 })),
        channels: g.channels.map((c) => this.channels.get(c.id)),
      });
    }
    this.readyResolve();
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * Sends an event to every connection of the shard it belongs to (two connections on one shard both
   * get it, as on Discord). `strict`: a user's action with no connection to see it is a test mistake.
   */
  private dispatch(t: string, d: Json, strict = false): void {
    const guildId: string | undefined = d.guild_id ?? this.channels.get(d.channel_id)?.guild_id;
    const targets = this.connections.filter((c) => c.shard && c.shard[0] === this.shardOf(guildId, c.shard[1]));
    if (strict && targets.length === 0) throw new Error('FakeDiscord: no gateway connection for that shard yet (await fake.ready)');
    for (const conn of targets) this.send(conn, t, d);
  }

  private send(conn: GatewayConnection, t: string, d: Json): void {
    this.seq += 1;
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify({ op: 0, t, s: this.seq, d }));
  }

  /** A file hosted at /attachments/<channel>/<id>/<name>, as an attachment object of the documented shape. */
  private hostFile(channelId: string, f: FakeFile): Json {
    const id = this.snowflake();
    const content = f.content === undefined ? undefined : Buffer.from(f.content);
    const size = content?.byteLength ?? f.size ?? 0;
    this.files.set(id, { ...(content ? { content } : {}), size });
    const url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/attachments/${channelId}/${id}/${encodeURIComponent(f.name)}`;
    return { id, filename: f.name, size, url, proxy_url: url, ...(f.contentType ? { content_type: f.contentType } : {}) };
  }

  /** As the CDN: the bytes, no token needed; a generated body is streamed until the reader hangs up. */
  private serveFile(req: http.IncomingMessage, res: http.ServerResponse): void {
    const id = (req.url ?? '').split('/')[3] ?? '';
    const file = this.files.get(id);
    const download = { id, bytesSent: 0 };
    this.downloads.push(download);
    if (!file) return void res.writeHead(404).end();
    sendFakeFile(res, file, download);
  }

  // ── REST ──────────────────────────────────────────────────────────────────

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url?.startsWith('/attachments/')) return this.serveFile(req, res);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text && String(req.headers['content-type']).includes('json') ? JSON.parse(text) : text || null;
    const call: RecordedCall = { method: req.method ?? 'GET', path, query: url.searchParams, body, authorization: req.headers.authorization };
    this.calls.push(call);
    const failure = this.failures.findIndex((match) => match(call));
    if (failure >= 0) this.failures.splice(failure, 1);
    const reply = failure >= 0 ? 'forbidden' : this.route(call);
    if (reply === 'forbidden') {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Missing Permissions', code: 50013 }));
    } else if (reply === undefined) {
      res.writeHead(204).end(); // no content-type: discord.js parses a JSON 204 and fails
    } else if (reply === null) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `FakeDiscord has no route ${call.method} ${path}`, code: 0 }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    }
    for (const wake of [...this.waiters]) wake();
  }

  /** undefined → 204, null → 404, else the JSON body. */
  private route(c: RecordedCall): Json | undefined | null {
    const m = (re: RegExp): RegExpExecArray | null => re.exec(c.path);
    let p: RegExpExecArray | null;
    if (c.method === 'GET' && c.path === '/gateway/bot') {
      return { url: this.apiUrl.replace('http', 'ws').replace('/api', '/gateway'), shards: this.opts.recommendedShards ?? 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } };
    }
    if (c.method === 'PUT' && (p = m(/^\/applications\/(\d+)\/commands$/))) {
      return (c.body as Json[]).map((cmd) => ({ ...cmd, id: this.snowflake(), application_id: p![1], version: '1', type: cmd.type ?? 1, default_member_permissions: null }));
    }
    if (c.method === 'POST' && (p = m(/^\/channels\/(\d+)\/typing$/))) return undefined;
    if (c.method === 'POST' && (p = m(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/))) return this.startThread(p[1]!, p[2]!, c.body);
    if (c.method === 'POST' && (p = m(/^\/channels\/(\d+)\/messages$/))) {
      const channel = this.channels.get(p[1]!);
      if (!channel) return null;
      const msg = this.store(channel.id, { ...this.message(channel, this.botUser, c.body.content ?? ''), ...pickRendered(c.body), ...(c.body.message_reference ? { message_reference: c.body.message_reference } : {}) });
      this.dispatch('MESSAGE_CREATE', msg);
      return msg;
    }
    if (c.method === 'PATCH' && (p = m(/^\/channels\/(\d+)\/messages\/(\d+)$/))) return this.edit(p[1]!, p[2]!, c.body);
    if (c.method === 'GET' && (p = m(/^\/channels\/(\d+)$/))) return this.channels.get(p[1]!) ?? null;
    if (c.method === 'GET' && (p = m(/^\/channels\/(\d+)\/messages\/(\d+)$/))) return this.messagesIn(p[1]!).find((x) => x.id === p![2]) ?? null;
    if (c.method === 'GET' && (p = m(/^\/channels\/(\d+)\/messages$/))) {
      const before = c.query.get('before');
      const limit = Number(c.query.get('limit') ?? 50);
      return this.messagesIn(p[1]!).filter((x) => !before || BigInt(x.id) < BigInt(before)).reverse().slice(0, limit);
    }
    if (c.method === 'POST' && (p = m(/^\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      const it = this.interactions.get(p[2]!);
      if (!it) return null;
      it.callbacks.push(c.body);
      if (c.body.type === 4) it.original = this.store(it.channelId, { ...this.message(this.channels.get(it.channelId), this.botUser, c.body.data?.content ?? ''), ...pickRendered(c.body.data ?? {}) });
      if (c.body.type === 5) it.original = this.store(it.channelId, this.message(this.channels.get(it.channelId), this.botUser, ''));
      if (c.body.type === 9) it.modal = c.body.data;
      // DEFERRED_UPDATE_MESSAGE: the original response is then the message whose component was clicked.
      if (c.body.type === 6 && it.message) it.original = this.messagesIn(it.channelId).find((x) => x.id === it.message.id) ?? null;
      return undefined;
    }
    if (c.method === 'PATCH' && (p = m(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/))) {
      const it = this.interactions.get(p[2]!);
      return it?.original ? this.edit(it.channelId, it.original.id, c.body) : null;
    }
    if (c.method === 'POST' && (p = m(/^\/webhooks\/(\d+)\/([^/]+)$/))) {
      const it = this.interactions.get(p[2]!);
      if (!it) return null;
      return this.store(it.channelId, { ...this.message(this.channels.get(it.channelId), this.botUser, c.body.content ?? ''), ...pickRendered(c.body) });
    }
    return null;
  }

  private startThread(parentId: string, messageId: string, body: Json): Json {
    const parent = this.channels.get(parentId);
    if (!parent) return null;
    // A thread started from a message shares the message's id, as on Discord.
    const thread = {
      id: messageId, type: CHANNEL_PUBLIC_THREAD, guild_id: parent.guild_id, parent_id: parentId, owner_id: this.botUser.id,
      name: body.name, last_message_id: null, rate_limit_per_user: 0, message_count: 0, member_count: 1, flags: 0,
      thread_metadata: { archived: false, auto_archive_duration: body.auto_archive_duration ?? 1440, archive_timestamp: new Date().toISOString(), locked: false },
    };
    this.channels.set(thread.id, thread);
    this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    return thread;
  }

  private edit(channelId: string, messageId: string, body: Json): Json {
    const list = this.messages.get(channelId) ?? [];
    const i = list.findIndex((x) => x.id === messageId);
    if (i < 0) return null;
    list[i] = { ...list[i], ...pickRendered(body), ...('content' in body ? { content: body.content } : {}), edited_timestamp: new Date().toISOString() };
    return list[i];
  }

  // ── helpers ───────────────────────────────────────────────────────────────

  private interact(type: number, data: Json, where: { channelId: string; userId?: string; roles?: string[]; between?: 'dm' | 'group' }, message?: Json): { id: string; token: string } {
    const channel = this.channels.get(where.channelId) ?? this.openDm(where.channelId, where.between === 'group' ? CHANNEL_GROUP_DM : CHANNEL_DM);
    const id = this.snowflake();
    const token = `tok-${id}`;
    this.interactions.set(token, { channelId: channel.id, callbacks: [], original: null, modal: null, message: message ?? null });
    const who = user(where.userId ?? '100000000000000001', 'alice');
    const guild = channel.guild_id
      ? { guild_id: channel.guild_id, member: { user: who, roles: where.roles ?? [], permissions: '0', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null, premium_since: null }, context: 0 }
      : { user: who, context: where.between ? 2 : 1 };
    const payload = {
      id, application_id: this.applicationId, type, token, version: 1, data, channel_id: channel.id, channel,
      app_permissions: '0', locale: 'en-US', entitlements: [], authorizing_integration_owners: {}, attachment_size_limit: 8388608,
      ...guild, ...(message ? { message } : {}),
    };
    if (this.endpoint) void this.post(this.endpoint, payload);
    else this.dispatch('INTERACTION_CREATE', payload, true);
    return { id, token };
  }

  /** Discord's outgoing webhook: the interaction as JSON, signed over timestamp + body, and what the app answered. */
  private async post(endpoint: { url: string; key: KeyObject }, payload: Json): Promise<void> {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), endpoint.key).toString('hex');
    const res = await fetch(endpoint.url, {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
    });
    this.endpointReplies.push({ interactionId: payload.id, payload: body, status: res.status, body: await res.text() });
    for (const wake of [...this.waiters]) wake();
  }

  private openDm(channelId: string, type = CHANNEL_DM): Json {
    const dm = { id: channelId, type, last_message_id: null, recipients: [] };
    this.channels.set(channelId, dm);
    return dm;
  }

  private message(channel: Json, author: Json, content: string): Json {
    const botMention = new RegExp(`<@!?${this.botUser.id}>`);
    return {
      id: this.snowflake(), channel_id: channel.id, ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
      author, content, timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false,
      mentions: botMention.test(content) ? [this.botUser] : [], mention_roles: [], attachments: [], embeds: [], components: [],
      pinned: false, type: 0, flags: 0,
    };
  }

  private store(channelId: string, msg: Json): Json {
    const list = this.messages.get(channelId) ?? [];
    list.push(msg);
    this.messages.set(channelId, list);
    return msg;
  }

  private snowflake(): string {
    this.idCounter += 1n;
    return (((BigInt(Date.now()) - EPOCH) << 22n) + this.idCounter).toString();
  }
}

export function user(id: string, username: string, bot = false): Json {
  return { id, username, discriminator: '0', global_name: null, avatar: null, ...(bot ? { bot: true } : {}) };
}

function pickRendered(body: Json): Json {
  const out: Json = {};
  if (body && 'embeds' in body) out.embeds = body.embeds;
  if (body && 'components' in body) out.components = body.components;
  if (body && 'flags' in body) out.flags = body.flags;
  return out;
}
