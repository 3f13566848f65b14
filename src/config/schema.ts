import { z } from 'zod';

/**
 * Every environment variable Cairn reads, with its default. `.env.example` documents each one;
 * `loadConfig` turns them into the nested `Config` that the rest of the code receives.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = optionalString.pipe(
  z.url({ message: 'expected an http(s) URL such as http://127.0.0.1:8080' }).optional(),
);

/** A connection URL with one of these schemes; the message names the form to use. */
const serviceUrl = (schemes: string[], example: string) =>
  optionalString.pipe(
    z
      .string()
      .refine((v) => {
        try {
          return schemes.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, { message: `expected a URL such as ${example}` })
      .optional(),
  );

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );

const GROUP_NAME = /^[\w.-]+$/;

/** `public,staff` → ['public', 'staff']; at least one group name. */
const groupList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(GROUP_NAME, 'expected group names of letters, digits, "_", "." or "-", separated by commas')).min(1, 'expected at least one group name'));

const int = (min: number, max: number) =>
  z.coerce
    .number({ message: `expected a whole number from ${min} to ${max}` })
    .int({ message: `expected a whole number from ${min} to ${max}` })
    .min(min, { message: `expected a whole number from ${min} to ${max}` })
    .max(max, { message: `expected a whole number from ${min} to ${max}` });

const num = (min: number, max: number) =>
  z.coerce
    .number({ message: `expected a number from ${min} to ${max}` })
    .min(min, { message: `expected a number from ${min} to ${max}` })
    .max(max, { message: `expected a number from ${min} to ${max}` });

/** `C123=hr,eng;C456=public` → { C123: ['hr','eng'], C456: ['public'] } */
const accessMap = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const out: Record<string, string[]> = {};
    for (const entry of (v ?? '').split(';').map((s) => s.trim()).filter(Boolean)) {
      const [key, groups] = entry.split('=');
      const list = (groups ?? '').split(',').map((g) => g.trim()).filter(Boolean);
      if (!key?.trim() || list.length === 0) {
        ctx.addIssue({ code: 'custom', message: `expected "ID=group1,group2;ID2=group3", got "${entry}"` });
        return z.NEVER;
      }
      out[key.trim()] = list;
    }
    return out;
  });

/** `Deploy=How do I deploy?;What is Cairn?` → [{title, message}…]; a prompt without `=` is its own title. Slack shows up to four. */
const assistantPrompts = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === '') return undefined;
    const prompts = v.split(';').map((s) => s.trim()).filter(Boolean).map((entry) => {
      const at = entry.indexOf('=');
      const title = (at < 0 ? entry : entry.slice(0, at)).trim();
      const message = (at < 0 ? entry : entry.slice(at + 1)).trim();
      return { title, message };
    });
    const bad = prompts.find((p) => !p.title || !p.message);
    if (bad || prompts.length === 0 || prompts.length > 4) {
      ctx.addIssue({ code: 'custom', message: 'expected one to four prompts as "Title=Question;Other question" (Slack shows up to four)' });
      return z.NEVER;
    }
    return prompts;
  });

/** In getUTCDay() order, so a day's index is its number there. */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

export const EnvSchema = z.object({
  CAIRN_DATA_DIR: z.string().default('.cairn'),
  // No default here: `cairn start` logs at info, one-shot commands at warn, unless this is set.
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LOG_CONTENT: bool.default(false),

  // Ingestion
  CHUNK_SIZE: int(200, 8000).default(1200),
  CHUNK_OVERLAP: int(0, 2000).default(200),
  INGEST_MAX_FILE_MB: num(0.001, 1024).default(20),
  DEFAULT_ACCESS_GROUP: z.string().regex(GROUP_NAME, 'expected a group name of letters, digits, "_", "." or "-"').default('public'),
  DOCS_DIR: z.string().default('docs'),
  // Where documents come from (src/config/sources.ts); without the file, DOCS_DIR is the one source.
  SOURCES_FILE: optionalString,

  // Embeddings
  EMBEDDER: z.enum(['auto', 'use', 'openai']).default('auto'),
  EMBEDDING_BASE_URL: optionalUrl,
  EMBEDDING_API_KEY: optionalString,
  EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDING_DIMENSIONS: int(1, 8192).optional(),
  EMBEDDING_BATCH_SIZE: int(1, 2048).default(64),

  // Vector store
  QDRANT_URL: optionalUrl,
  QDRANT_API_KEY: optionalString,
  QDRANT_COLLECTION: z.string().regex(/^[\w-]+$/, 'expected letters, digits, "_" or "-"').default('cairn'),

  // Retrieval
  // Unset: the embedder's default (config.ts, fusionDefaults).
  FUSION: z.enum(['linear', 'rrf']).optional(),
  FUSION_DENSE_WEIGHT: num(0, 1).optional(),
  RRF_K: int(1, 1000).default(60),
  RETRIEVE_K: int(1, 50).default(6),
  RERANKER: z.enum(['auto', 'http', 'lexical', 'off']).default('auto'),
  RERANK_URL: optionalUrl,
  RERANK_API_KEY: optionalString,
  RERANK_MODEL: optionalString,

  // Language model
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  LLM_FAST_MODEL: optionalString,
  LLM_TEMPERATURE: num(0, 2).default(0.1),
  LLM_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  LLM_IDLE_TIMEOUT_MS: int(100, 600_000).default(10_000),
  LLM_BREAKER_FAILURES: int(0, 1000).default(3),
  LLM_BREAKER_COOLDOWN_MS: int(100, 3_600_000).default(30_000),
  LLM_MAX_RETRIES: int(0, 10).default(2),
  JUDGE_MODEL: optionalString,
  AGENT_MAX_STEPS: int(1, 20).default(4),
  CHECKPOINTER: z.enum(['memory', 'sqlite']).default('memory'),

  // Shared state, for several replicas (docs/operations.md)
  REDIS_URL: serviceUrl(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  DATABASE_URL: serviceUrl(['postgres:', 'postgresql:'], 'postgres://cairn@127.0.0.1:5432/cairn'),
  CHECKPOINT_RETENTION_DAYS: int(1, 3650).default(30),

  // Web search
  WEB_SEARCH_PROVIDER: z.enum(['none', 'tavily', 'brave', 'searxng']).default('none'),
  TAVILY_API_KEY: optionalString,
  BRAVE_API_KEY: optionalString,
  SEARXNG_URL: optionalUrl,
  WEB_SEARCH_BASE_URL: optionalUrl,
  WEB_SEARCH_WITH_PRIVATE_GROUPS: bool.default(false),

  // Code runner
  RUN_CODE_LANGUAGES: z
    .string()
    .default('javascript,python')
    .transform((v) => (v.trim().toLowerCase() === 'none' ? [] : [...new Set(v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))]))
    .pipe(z.array(z.enum(['javascript', 'python'], { message: 'expected javascript and/or python separated by commas, or none' }))),

  // Chat surfaces
  HOST: z
    .string()
    .regex(/^[\w.:-]+$/, 'expected an address to listen on, such as 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or ::')
    .default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_SOCKET_MODE: bool.default(false),
  SLACK_API_URL: optionalUrl,
  SLACK_ADMIN_USER_IDS: csv,
  SLACK_ALLOWED_CHANNELS: csv,
  // Slack's AI-app surface (docs/slack.md#the-assistant-panel); the app needs the Agents & AI Apps feature.
  SLACK_ASSISTANT: bool.default(false),
  SLACK_ASSISTANT_PROMPTS: assistantPrompts,
  // Support channels: every new top-level question there is answered in its thread without a mention.
  SLACK_AUTO_ANSWER_CHANNELS: csv,
  // Who "Still need help?" mentions (docs/slack.md#hand-off-to-a-human): a user group (S…) and/or users (U…).
  SLACK_HANDOFF_USERGROUP: optionalString.pipe(z.string().regex(/^S[A-Z0-9]+$/, { message: 'expected a Slack user group id such as S0123ABCD' }).optional()),
  SLACK_HANDOFF_USERS: csv,
  // Where the weekly coverage-gaps summary is posted (docs/operations.md#weekly-coverage-gaps-summary); unset: none.
  SLACK_GAPS_CHANNEL: optionalString.pipe(z.string().regex(/^[CG][A-Z0-9]{2,}$/, { message: 'expected a Slack channel id such as C0123ABCD (in the channel details, at the bottom of About)' }).optional()),
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: optionalString,
  DISCORD_API_URL: optionalUrl,
  DISCORD_ADMIN_ROLE_IDS: csv,
  // Forum channels whose every new post is answered without a mention.
  DISCORD_AUTO_ANSWER_CHANNELS: csv,
  // The role "Still need help?" mentions (docs/discord.md#hand-off-to-a-human).
  DISCORD_HANDOFF_ROLE: optionalString.pipe(z.string().regex(/^\d{17,20}$/, { message: 'expected a Discord role id (17 to 20 digits)' }).optional()),
  DISCORD_GAPS_CHANNEL: optionalString.pipe(z.string().regex(/^\d{17,20}$/, { message: 'expected a Discord channel id (17 to 20 digits: right-click the channel, Copy Channel ID)' }).optional()),
  // Gateway shards across every replica (docs/discord.md); `auto` asks Discord (GET /gateway/bot).
  DISCORD_SHARD_COUNT: z
    .string()
    .regex(/^(auto|[1-9]\d{0,4})$/, { message: 'expected "auto" or a whole number of shards from 1 to 99999' })
    .default('1')
    .transform((v) => (v === 'auto' ? ('auto' as const) : Number(v))),
  // `http`: slash commands and buttons reach /discord/interactions instead of the gateway.
  DISCORD_INTERACTIONS: z.enum(['gateway', 'http']).default('gateway'),
  DISCORD_PUBLIC_KEY: optionalString.pipe(
    z.string().regex(/^[0-9a-fA-F]{64}$/, { message: "expected the application's public key: 64 hex digits (Developer Portal → General Information)" }).optional(),
  ),
  // When the weekly coverage-gaps summary is due: a weekday and an hour, in UTC.
  GAPS_SUMMARY_DAY: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(WEEKDAYS, { message: `expected a day of the week: ${WEEKDAYS.join(', ')}` }))
    .default('monday'),
  GAPS_SUMMARY_HOUR: int(0, 23).default(9),
  CHANNEL_ACCESS: accessMap,
  USER_ACCESS: accessMap,
  PUBLIC_ACCESS_GROUPS: groupList.default(['public']),
  MAX_QUESTION_CHARS: int(10, 100_000).default(4000),
  RATE_LIMIT_PER_MINUTE: int(1, 10_000).default(10),
  QUEUE_CONCURRENCY: int(1, 64).default(4),
  QUEUE_MAX: int(1, 100_000).default(200),
  // Largest file attached to a question that Cairn reads (text, Markdown, CSV, JSON, logs, PDF).
  ATTACHMENT_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
});

export type Env = z.infer<typeof EnvSchema>;
