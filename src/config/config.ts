import path from 'node:path';
import type { AccessPolicy } from '../core/access.js';
import { ConfigError } from '../core/errors.js';
import { EnvSchema, WEEKDAYS, type Env } from './schema.js';
import { loadSources, type SourceConfig } from './sources.js';

export type { SourceConfig } from './sources.js';

export interface AssistantPrompt {
  /** What the button says. */
  title: string;
  /** What is asked when it is clicked. */
  message: string;
}

/** Questions any documentation answers; SLACK_ASSISTANT_PROMPTS replaces them with the team's own. */
export const DEFAULT_ASSISTANT_PROMPTS: AssistantPrompt[] = [
  { title: 'Get started', message: 'How do I get started?' },
  { title: 'Troubleshoot', message: 'What should I check first when something does not work?' },
  { title: 'What can you answer?', message: 'What kinds of questions can you answer?' },
];

export interface Config {
  dataDir: string;
  log: { level: NonNullable<Env['LOG_LEVEL']>; explicit: boolean; content: boolean };
  ingest: { chunkSize: number; chunkOverlap: number; maxFileBytes: number; defaultAccessGroup: string; docsDir: string };
  /** `cairn.sources.yaml` (SOURCES_FILE), validated at start-up; DOCS_DIR as one folder source without it. */
  sources: SourceConfig[];
  embedding: {
    kind: 'use' | 'openai';
    baseUrl?: string;
    apiKey?: string;
    model: string;
    dimensions?: number;
    batchSize: number;
  };
  store: { kind: 'embedded' | 'qdrant'; qdrantUrl?: string; qdrantApiKey?: string; collection: string };
  retrieval: {
    fusion: 'linear' | 'rrf';
    denseWeight: number;
    rrfK: number;
    k: number;
    reranker: Env['RERANKER'];
    rerankUrl?: string;
    rerankApiKey?: string;
    rerankModel?: string;
  };
  llm: {
    /** false when neither a key nor a base URL is set: Cairn then answers extractively. */
    enabled: boolean;
    apiKey?: string;
    baseUrl?: string;
    model: string;
    fastModel: string;
    judgeModel?: string;
    temperature: number;
    /** The whole call: retries, waiting and the streamed reply. */
    timeoutMs: number;
    /** The longest the model may send nothing, before its reply starts or between chunks. */
    idleTimeoutMs: number;
    maxRetries: number;
    /** After `failures` consecutive failed calls, answer extractively for `cooldownMs`, then probe. */
    breaker: { failures: number; cooldownMs: number };
  };
  /** Thread memory: `postgres` whenever DATABASE_URL is set, so every replica sees every thread. */
  agent: { maxSteps: number; checkpointer: 'memory' | 'sqlite' | 'postgres' };
  /**
   * State several replicas share. Unset: everything stays in the process and under dataDir, as a
   * single process needs. `redisUrl`: delivery dedupe, rate limits, thread participation, the
   * re-index lease. `databaseUrl`: thread memory and feedback in PostgreSQL.
   */
  shared: { redisUrl?: string; databaseUrl?: string; checkpointRetentionDays: number };
  webSearch: {
    provider: Env['WEB_SEARCH_PROVIDER'];
    tavilyApiKey?: string;
    braveApiKey?: string;
    searxngUrl?: string;
    baseUrl?: string;
  };
  /** Languages `run_code` offers; none (`RUN_CODE_LANGUAGES=none`) leaves the tool out. */
  runCode: { languages: Env['RUN_CODE_LANGUAGES'] };
  server: { host: string; port: number };
  slack?: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    socketMode: boolean;
    apiUrl?: string;
    adminUserIds: string[];
    allowedChannels: string[];
    /** Set when Cairn also runs as a Slack AI app (SLACK_ASSISTANT): what it suggests in a new assistant thread. */
    assistant?: { prompts: AssistantPrompt[] };
    /** Support channels: top-level questions answered without a mention, unless switched off at run time. */
    autoAnswerChannels?: string[];
    /** Who "Still need help?" mentions; absent: no hand-off button. */
    handoff?: { usergroup?: string; users: string[] };
    /** The channel the weekly coverage-gaps summary is posted to; absent: none. */
    gapsChannel?: string;
  };
  discord?: {
    token: string;
    applicationId?: string;
    apiUrl?: string;
    adminRoleIds: string[];
    /** Forum channels whose new posts are answered without a mention, unless switched off at run time. */
    autoAnswerChannels?: string[];
    /** The role "Still need help?" mentions; absent: no hand-off button. */
    handoffRoleId?: string;
    /** Gateway shards across the fleet; each replica connects only the shards whose lease it holds. */
    shardCount: number | 'auto';
    /** Where slash commands and buttons arrive: the gateway, or the HTTP endpoint (needs publicKey). */
    interactions: 'gateway' | 'http';
    /** Ed25519 public key (hex) that signs requests to /discord/interactions. */
    publicKey?: string;
    /** The channel the weekly coverage-gaps summary is posted to; absent: none. */
    gapsChannel?: string;
  };
  /**
   * When the weekly coverage-gaps summary is due, in UTC (`weekday` as getUTCDay counts: 0 is Sunday).
   * It is posted only where a platform's gaps channel is set.
   */
  gapsSummary: { weekday: number; hour: number };
  access: AccessPolicy & {
    /** Offer web_search also when the answer may draw on groups beyond the public ones. */
    webSearchWithPrivateGroups: boolean;
  };
  limits: { maxQuestionChars: number; ratePerMinute: number; queueConcurrency: number; queueMax: number; attachmentMaxBytes: number };
}

/**
 * Fusion when FUSION / FUSION_DENSE_WEIGHT are unset, by embedder (docs/retrieval.md, "Fusion defaults").
 * The offline model is far weaker than BM25 (SciFact nDCG@10 0.22 vs 0.69), so BM25 leads at the
 * measured 0.3 (after the lexical reranker, the row users get, 0.3 beat 0.2 on both public sets).
 * An endpoint model is usually at least BM25's equal, so dense leads: a convex combination, which
 * beat RRF in and out of domain (Bruch et al., ACM TOIS 2023), at 0.7, the dense-leaning weight
 * hybrid engines ship by default. `cairn eval tune` measures it on your own set.
 */
export function fusionDefaults(embedder: Config['embedding']['kind']): Pick<Config['retrieval'], 'fusion' | 'denseWeight'> {
  return embedder === 'use' ? { fusion: 'linear', denseWeight: 0.3 } : { fusion: 'linear', denseWeight: 0.7 };
}

/** Reads the environment once. Any bad value fails with the variable's name and what it expects. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  // An empty value means unset, as when .env.example is copied with blanks left in.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      // A list variable's issue points into the parsed list; the person set the variable itself.
      const name = String(i.path[0] ?? '');
      const got = env[name];
      return `  ${name}: ${i.message}${got !== undefined ? ` (got "${got}")` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable.`);
  }
  return fromEnv(parsed.data, cwd, env);
}

function fromEnv(e: Env, cwd: string, env: Record<string, string | undefined>): Config {
  if (e.CHUNK_OVERLAP >= e.CHUNK_SIZE) {
    throw new ConfigError(`Invalid configuration:\n  CHUNK_OVERLAP: expected less than CHUNK_SIZE (${e.CHUNK_SIZE}), got ${e.CHUNK_OVERLAP}`);
  }
  const embeddingKind = e.EMBEDDER === 'auto' ? (e.EMBEDDING_BASE_URL || e.EMBEDDING_API_KEY ? 'openai' : 'use') : e.EMBEDDER;
  if (embeddingKind === 'openai' && !e.EMBEDDING_BASE_URL && !e.EMBEDDING_API_KEY) {
    throw new ConfigError('Invalid configuration:\n  EMBEDDER: "openai" needs EMBEDDING_BASE_URL or EMBEDDING_API_KEY');
  }
  const config: Config = {
    dataDir: path.resolve(cwd, e.CAIRN_DATA_DIR),
    log: { level: e.LOG_LEVEL ?? 'info', explicit: e.LOG_LEVEL !== undefined, content: e.LOG_CONTENT },
    ingest: {
      chunkSize: e.CHUNK_SIZE,
      chunkOverlap: e.CHUNK_OVERLAP,
      maxFileBytes: Math.round(e.INGEST_MAX_FILE_MB * 1024 * 1024),
      defaultAccessGroup: e.DEFAULT_ACCESS_GROUP,
      // Kept as given: it becomes the documents' source paths, which should not depend on where the repo lives.
      docsDir: e.DOCS_DIR,
    },
    sources: loadSources({ file: e.SOURCES_FILE ?? 'cairn.sources.yaml', explicit: e.SOURCES_FILE !== undefined, docsDir: e.DOCS_DIR, cwd, env }),
    embedding: {
      kind: embeddingKind,
      baseUrl: e.EMBEDDING_BASE_URL,
      apiKey: e.EMBEDDING_API_KEY,
      model: e.EMBEDDING_MODEL,
      dimensions: e.EMBEDDING_DIMENSIONS,
      batchSize: e.EMBEDDING_BATCH_SIZE,
    },
    store: {
      kind: e.QDRANT_URL ? 'qdrant' : 'embedded',
      qdrantUrl: e.QDRANT_URL,
      qdrantApiKey: e.QDRANT_API_KEY,
      collection: e.QDRANT_COLLECTION,
    },
    retrieval: {
      fusion: e.FUSION ?? fusionDefaults(embeddingKind).fusion,
      denseWeight: e.FUSION_DENSE_WEIGHT ?? fusionDefaults(embeddingKind).denseWeight,
      rrfK: e.RRF_K,
      k: e.RETRIEVE_K,
      reranker: e.RERANKER,
      rerankUrl: e.RERANK_URL,
      rerankApiKey: e.RERANK_API_KEY,
      rerankModel: e.RERANK_MODEL,
    },
    llm: {
      enabled: Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL),
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.LLM_MODEL,
      fastModel: e.LLM_FAST_MODEL ?? e.LLM_MODEL,
      judgeModel: e.JUDGE_MODEL,
      temperature: e.LLM_TEMPERATURE,
      timeoutMs: e.LLM_TIMEOUT_MS,
      idleTimeoutMs: e.LLM_IDLE_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      breaker: { failures: e.LLM_BREAKER_FAILURES, cooldownMs: e.LLM_BREAKER_COOLDOWN_MS },
    },
    agent: { maxSteps: e.AGENT_MAX_STEPS, checkpointer: e.DATABASE_URL ? 'postgres' : e.CHECKPOINTER },
    shared: { redisUrl: e.REDIS_URL, databaseUrl: e.DATABASE_URL, checkpointRetentionDays: e.CHECKPOINT_RETENTION_DAYS },
    webSearch: {
      provider: e.WEB_SEARCH_PROVIDER,
      tavilyApiKey: e.TAVILY_API_KEY,
      braveApiKey: e.BRAVE_API_KEY,
      searxngUrl: e.SEARXNG_URL,
      baseUrl: e.WEB_SEARCH_BASE_URL,
    },
    runCode: { languages: e.RUN_CODE_LANGUAGES },
    server: { host: e.HOST, port: e.PORT },
    gapsSummary: { weekday: WEEKDAYS.indexOf(e.GAPS_SUMMARY_DAY), hour: e.GAPS_SUMMARY_HOUR },
    access: { channels: e.CHANNEL_ACCESS, users: e.USER_ACCESS, publicGroups: e.PUBLIC_ACCESS_GROUPS, webSearchWithPrivateGroups: e.WEB_SEARCH_WITH_PRIVATE_GROUPS },
    limits: {
      maxQuestionChars: e.MAX_QUESTION_CHARS,
      ratePerMinute: e.RATE_LIMIT_PER_MINUTE,
      queueConcurrency: e.QUEUE_CONCURRENCY,
      queueMax: e.QUEUE_MAX,
      attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    },
  };
  if (e.RERANKER === 'http' && !e.RERANK_URL) {
    throw new ConfigError('Invalid configuration:\n  RERANKER: "http" needs RERANK_URL');
  }
  const needKey = { tavily: e.TAVILY_API_KEY, brave: e.BRAVE_API_KEY, searxng: e.SEARXNG_URL } as const;
  if (e.WEB_SEARCH_PROVIDER !== 'none' && !needKey[e.WEB_SEARCH_PROVIDER]) {
    const v = { tavily: 'TAVILY_API_KEY', brave: 'BRAVE_API_KEY', searxng: 'SEARXNG_URL' }[e.WEB_SEARCH_PROVIDER];
    throw new ConfigError(`Invalid configuration:\n  WEB_SEARCH_PROVIDER: "${e.WEB_SEARCH_PROVIDER}" needs ${v}`);
  }
  for (const [channel, token] of [['SLACK_GAPS_CHANNEL', 'SLACK_BOT_TOKEN'], ['DISCORD_GAPS_CHANNEL', 'DISCORD_TOKEN']] as const) {
    if (e[channel] && !e[token]) {
      throw new ConfigError(`Invalid configuration:\n  ${channel} is set, but ${token} is not: the weekly gaps summary is posted by the bot. Set ${token}, or unset ${channel}.`);
    }
  }
  if (e.SLACK_BOT_TOKEN) {
    if (e.SLACK_SOCKET_MODE ? !e.SLACK_APP_TOKEN : !e.SLACK_SIGNING_SECRET) {
      const need = e.SLACK_SOCKET_MODE ? 'SLACK_APP_TOKEN (xapp-…) for Socket Mode' : 'SLACK_SIGNING_SECRET for the HTTP Events API';
      throw new ConfigError(`Invalid configuration:\n  SLACK_BOT_TOKEN is set, so Slack needs ${need}`);
    }
    config.slack = {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      socketMode: e.SLACK_SOCKET_MODE,
      apiUrl: e.SLACK_API_URL,
      adminUserIds: e.SLACK_ADMIN_USER_IDS,
      allowedChannels: e.SLACK_ALLOWED_CHANNELS,
      ...(e.SLACK_ASSISTANT ? { assistant: { prompts: e.SLACK_ASSISTANT_PROMPTS ?? DEFAULT_ASSISTANT_PROMPTS } } : {}),
      autoAnswerChannels: e.SLACK_AUTO_ANSWER_CHANNELS,
      ...(e.SLACK_HANDOFF_USERGROUP || e.SLACK_HANDOFF_USERS.length > 0
        ? { handoff: { ...(e.SLACK_HANDOFF_USERGROUP ? { usergroup: e.SLACK_HANDOFF_USERGROUP } : {}), users: e.SLACK_HANDOFF_USERS } }
        : {}),
      ...(e.SLACK_GAPS_CHANNEL ? { gapsChannel: e.SLACK_GAPS_CHANNEL } : {}),
    };
  }
  if (e.DISCORD_TOKEN) {
    if (e.DISCORD_INTERACTIONS === 'http' && !e.DISCORD_PUBLIC_KEY) {
      throw new ConfigError('Invalid configuration:\n  DISCORD_INTERACTIONS: "http" needs DISCORD_PUBLIC_KEY (Developer Portal → General Information → Public Key) to verify requests');
    }
    config.discord = {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      apiUrl: e.DISCORD_API_URL,
      adminRoleIds: e.DISCORD_ADMIN_ROLE_IDS,
      autoAnswerChannels: e.DISCORD_AUTO_ANSWER_CHANNELS,
      ...(e.DISCORD_HANDOFF_ROLE ? { handoffRoleId: e.DISCORD_HANDOFF_ROLE } : {}),
      shardCount: e.DISCORD_SHARD_COUNT,
      interactions: e.DISCORD_INTERACTIONS,
      publicKey: e.DISCORD_PUBLIC_KEY,
      ...(e.DISCORD_GAPS_CHANNEL ? { gapsChannel: e.DISCORD_GAPS_CHANNEL } : {}),
    };
  }
  return config;
}
