/**
 * Time to a reply when the language model hangs, with the default configuration (LLM_TIMEOUT_MS,
 * LLM_IDLE_TIMEOUT_MS, LLM_MAX_RETRIES and the circuit breaker at their defaults): the real agent
 * and ChatOpenAI behind ChatService, against the local fake OpenAI server scripted to stall.
 *   node --import tsx bench/llm-faults.ts [--json]
 * Goals (faults issue): a reply within 15 s of asking while the model hangs, within 2 s while the
 * circuit breaker is open. Prints a table; with --json, one JSON object as the last line of stdout.
 */
import { pino } from 'pino';
import { createAgent } from '../src/agent/index.js';
import { ChatService } from '../src/chat/shared/chat-service.js';
import { loadConfig } from '../src/config/config.js';
import { FakeOpenAI, type ScriptedReply } from '../test/fakes/openai-server.js';
import { FAST_MODEL, InTestRetriever, MAIN_MODEL } from '../test/agent/helpers.js';

const json = process.argv.includes('--json');
const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const QUESTION = 'How many days of paid annual leave do employees get per year?';

const fake = await FakeOpenAI.start();
const config = loadConfig({ OPENAI_BASE_URL: fake.baseURL, LLM_MODEL: MAIN_MODEL, LLM_FAST_MODEL: FAST_MODEL });
const logger = pino({ level: 'silent' });

/** A fresh agent (closed breaker) behind ChatService, as `cairn start` assembles them. */
function service(): ChatService {
  const agent = createAgent({ config, retriever: new InTestRetriever(), logger });
  return new ChatService({ answerer: agent, config, logger });
}

async function timedAsk(chat: ChatService, user: string): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const outcome = await chat.ask({ platform: 'slack', channelId: 'C1', userId: user, text: QUESTION, audience: { kind: 'conversation', channelId: 'C1' }, history: [] });
  const text = outcome.kind === 'answer' ? outcome.reply.text : outcome.text;
  return { ms: Math.round(performance.now() - started), text: text.split('\n')[0] ?? '' };
}

const rows: Array<{ case: string; ms: number; reply: string }> = [];
const stalls: Array<[string, ScriptedReply]> = [
  ['stream stalls after its first chunk', { content: 'never finished', afterChunks: 2 }],
  ['server accepts and never answers', { neverAnswer: true }],
];
for (const [name, reply] of stalls) {
  fake.reset();
  fake.when(() => true, reply);
  progress(name);
  const { ms, text } = await timedAsk(service(), 'U1');
  rows.push({ case: name, ms, reply: text });
}

fake.reset();
fake.when(() => true, { neverAnswer: true });
const chat = service();
const failures = config.llm.breaker.failures;
progress(`${failures} hanging questions to open the breaker, then one more`);
for (let i = 0; i < failures; i += 1) await timedAsk(chat, `U${i}`);
const open = await timedAsk(chat, 'U-open');
rows.push({ case: `breaker open (after ${failures} failures)`, ms: open.ms, reply: open.text });
await fake.close();

const limits = { LLM_TIMEOUT_MS: config.llm.timeoutMs, LLM_IDLE_TIMEOUT_MS: config.llm.idleTimeoutMs, LLM_MAX_RETRIES: config.llm.maxRetries, LLM_BREAKER_FAILURES: failures, LLM_BREAKER_COOLDOWN_MS: config.llm.breaker.cooldownMs };
process.stdout.write(`default limits: ${JSON.stringify(limits)}\n\n| case | time to reply | reply begins |\n| --- | --- | --- |\n`);
for (const r of rows) process.stdout.write(`| ${r.case} | ${(r.ms / 1000).toFixed(2)} s | ${r.reply.slice(0, 110)} |\n`);
if (json) process.stdout.write(`${JSON.stringify({ limits, rows })}\n`);
