import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server that plays scripted chat completions, so tests drive the real
 * ChatOpenAI client (and anything else speaking the protocol) over HTTP. It implements
 * POST /v1/chat/completions, plain and streamed (SSE, with `stream_options.include_usage`), with
 * tool calls in both modes, usage numbers, delays, HTTP errors, and the ways a server fails
 * mid-reply (silence before the headers, a stream that stalls or is cut), and records every request body.
 *
 * Replies come from rules added with `when()` (checked first, in order) and then from the FIFO
 * queue filled by `enqueue()`. A request nothing answers gets HTTP 500 with a message naming it,
 * so a test that runs out of script fails loudly instead of hanging.
 */

export interface ScriptedToolCall {
  name: string;
  /** An object is JSON-encoded; a string is sent as is (to test malformed arguments). */
  arguments: Record<string, unknown> | string;
  id?: string;
}

export interface ScriptedReply {
  content?: string;
  toolCalls?: ScriptedToolCall[];
  /** Wait this long before answering (before the headers, so a client timeout fires). */
  delayMs?: number;
  /** Answer with this HTTP status and an OpenAI-style error body instead of a completion. */
  status?: number;
  errorMessage?: string;
  /** Override the counted usage; by default both are about a quarter of the characters. */
  usage?: { promptTokens: number; completionTokens: number };
  /** Pause between streamed chunks. */
  chunkDelayMs?: number;
  /** Drop the connection without answering; with `afterChunks`, after sending that many streamed chunks. */
  hangUp?: boolean;
  /** Accept the request and never answer: no headers, no body, the connection left open. */
  neverAnswer?: boolean;
  /**
   * Send the headers and this many streamed chunks (none for a plain request), then go silent
   * with the connection left open, or drop it when `hangUp` is set.
   */
  afterChunks?: number;
}

export interface ChatMessageBody {
  role: string;
  content?: string | Array<{ type: string; text?: string }> | null;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
  name?: string;
}

export interface ChatCompletionBody {
  model: string;
  messages: ChatMessageBody[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  tool_choice?: unknown;
  temperature?: number;
  [key: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ChatCompletionBody;
}

export type Matcher = (request: ChatCompletionBody) => boolean;
export type ReplySource = ScriptedReply | ((request: ChatCompletionBody) => ScriptedReply);

interface Rule {
  matcher: Matcher;
  reply: ReplySource;
  /** How many more requests this rule answers; Infinity for a standing rule. */
  remaining: number;
}

/** The text of a message, whether sent as a string or as content parts. */
export function messageText(message: ChatMessageBody | undefined): string {
  if (!message?.content) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => part.text ?? '').join('');
}

/** Ready-made matchers for `when()`. */
export const match = {
  model: (name: string): Matcher => (req) => req.model === name,
  systemIncludes: (marker: string): Matcher => (req) =>
    req.messages.some((m) => (m.role === 'system' || m.role === 'developer') && messageText(m).includes(marker)),
  lastUserIncludes: (text: string): Matcher => (req) =>
    messageText([...req.messages].reverse().find((m) => m.role === 'user')).includes(text),
  lastMessageRole: (role: string): Matcher => (req) => req.messages.at(-1)?.role === role,
  offersTool: (name: string): Matcher => (req) => (req.tools ?? []).some((t) => t.function.name === name),
  all: (...matchers: Matcher[]): Matcher => (req) => matchers.every((m) => m(req)),
};

export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: ReplySource[] = [];
  private readonly rules: Rule[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();
  private toolCallCounter = 0;

  private constructor(private readonly server: http.Server, readonly baseURL: string) {}

  static async start(): Promise<FakeOpenAI> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeOpenAI(server, `http://127.0.0.1:${port}/v1`);
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  /** Queue replies, answered in order by requests no rule matches. */
  enqueue(...replies: ReplySource[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Answer requests that `matcher` accepts with `reply`, `times` times (default: always). */
  when(matcher: Matcher, reply: ReplySource, times = Infinity): this {
    this.rules.push({ matcher, reply, remaining: times });
    return this;
  }

  /** Forget scripts and recorded requests (between tests sharing one server). */
  reset(): void {
    this.queue.length = 0;
    this.rules.length = 0;
    this.requests.length = 0;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Bodies of the recorded chat completion requests. */
  get bodies(): ChatCompletionBody[] {
    return this.requests.map((r) => r.body);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      sendError(res, 404, `fake-openai: no route for ${req.method} ${path}`);
      return;
    }
    let body: ChatCompletionBody;
    try {
      body = JSON.parse(raw) as ChatCompletionBody;
    } catch {
      sendError(res, 400, 'fake-openai: request body is not JSON');
      return;
    }
    this.requests.push({ path, headers: req.headers, body });
    const source = this.pick(body);
    if (!source) {
      sendError(res, 500, `fake-openai: no scripted reply for request #${this.requests.length} (model ${body.model})`);
      return;
    }
    const reply = typeof source === 'function' ? source(body) : source;
    let closed = false;
    res.on('close', () => { closed = true; });
    if (reply.delayMs) await sleep(reply.delayMs);
    if (closed) return;
    // The client's own limits must end these; close() destroys whatever is still open.
    if (reply.neverAnswer) return;
    if (reply.hangUp && reply.afterChunks === undefined) {
      req.socket.destroy();
      return;
    }
    if (reply.status && reply.status >= 400) {
      sendError(res, reply.status, reply.errorMessage ?? `fake-openai: scripted HTTP ${reply.status}`);
      return;
    }
    const completion = this.completion(body, reply);
    const cut = reply.afterChunks === undefined ? undefined : { after: reply.afterChunks, hangUp: reply.hangUp ?? false };
    if (body.stream) await streamCompletion(res, body, completion, { chunkDelayMs: reply.chunkDelayMs ?? 0, isClosed: () => closed, cut });
    else if (cut) {
      res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders();
      if (cut.hangUp) req.socket.destroy();
    } else sendJson(res, 200, toChatCompletion(completion));
  }

  private pick(body: ChatCompletionBody): ReplySource | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && r.matcher(body));
    if (rule) {
      rule.remaining -= 1;
      return rule.reply;
    }
    return this.queue.shift();
  }

  private completion(body: ChatCompletionBody, reply: ScriptedReply): Completion {
    const toolCalls = (reply.toolCalls ?? []).map((call) => ({
      id: call.id ?? `call_${++this.toolCallCounter}`,
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    }));
    const content = reply.content ?? '';
    const promptChars = body.messages.reduce((n, m) => n + messageText(m).length, 0) + JSON.stringify(body.tools ?? []).length;
    const completionChars = content.length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
    const usage = reply.usage ?? { promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.max(1, Math.ceil(completionChars / 4)) };
    return { model: body.model, content, toolCalls, usage };
  }
}

interface Completion {
  model: string;
  content: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  usage: { promptTokens: number; completionTokens: number };
}

function usageBody(usage: Completion['usage']) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
}

function toChatCompletion(c: Completion) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: c.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: c.toolCalls.length > 0 && c.content === '' ? null : c.content,
          ...(c.toolCalls.length > 0
            ? { tool_calls: c.toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } })) }
            : {}),
        },
        finish_reason: c.toolCalls.length > 0 ? 'tool_calls' : 'stop',
        logprobs: null,
      },
    ],
    usage: usageBody(c.usage),
  };
}

/** Splits text into small pieces so a streaming client sees several deltas. */
function pieces(text: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

interface StreamOptions {
  chunkDelayMs: number;
  isClosed: () => boolean;
  /** Stop after this many chunks: go silent, or drop the connection. */
  cut: { after: number; hangUp: boolean } | undefined;
}

async function streamCompletion(res: http.ServerResponse, body: ChatCompletionBody, c: Completion, opts: StreamOptions): Promise<void> {
  const { chunkDelayMs, isClosed, cut } = opts;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' }).flushHeaders();
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: c.model };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  const events: unknown[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of pieces(c.content)) events.push(chunk({ content: piece }));
  c.toolCalls.forEach((t, index) => {
    events.push(chunk({ tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] }));
    for (const piece of pieces(t.arguments)) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(chunk({}, c.toolCalls.length > 0 ? 'tool_calls' : 'stop'));
  if (body.stream_options?.include_usage) events.push({ ...base, choices: [], usage: usageBody(c.usage) });
  for (const [i, event] of events.entries()) {
    if (isClosed()) return;
    if (cut && i === cut.after) {
      if (cut.hangUp) res.socket?.destroy();
      return;
    }
    res.write(`data: ${JSON.stringify(event)}\n\n`);
    if (chunkDelayMs > 0) await sleep(chunkDelayMs);
  }
  res.end('data: [DONE]\n\n');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (p: Buffer) => parts.push(p));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null } });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
