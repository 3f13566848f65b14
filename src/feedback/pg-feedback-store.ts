import type pg from 'pg';
import type { AnswerReply, AnswerRequest } from '../core/answer.js';
import type { FeedbackVote, HandOff } from '../core/feedback.js';
import { openPgTables } from '../shared-state/postgres.js';
import { toCaseRows, type FeedbackCaseRows } from './feedback-dataset.js';
import { exchangeRow, keepVoted, votedExchange, WEAK_VERDICTS, type Exchange, type FeedbackRepository, type VotedExchange } from './types.js';

/**
 * Answers, votes and hand-offs in PostgreSQL, so a vote cast through any replica joins its answer, and
 * `cairn feedback export`, `cairn export sft` and `cairn eval answers --from-feedback` read them
 * all from anywhere. The same tables and rules as feedback.sqlite. Tables are created on first use
 * under an advisory lock, so replicas starting together do not race. A failed write rejects: the
 * answer goes out regardless, and a vote's surface tells the user it was not recorded.
 */
export class PgFeedbackStore implements FeedbackRepository {
  private readonly pool: pg.Pool;
  private readonly s: string;
  private readonly retentionDays: number;
  /** Creates the schema and tables once; a failed attempt is retried by the next call. */
  readonly ready: () => Promise<void>;

  constructor(url: string, opts: { schema?: string; retentionDays?: number } = {}) {
    ({ pool: this.pool, s: this.s, ready: this.ready } = openPgTables(url, opts, 'feedback', (s) => `
      CREATE TABLE IF NOT EXISTS ${s}.exchanges (
        request_id TEXT PRIMARY KEY, platform TEXT NOT NULL, channel_id TEXT NOT NULL, question TEXT NOT NULL,
        history TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, verdict TEXT NOT NULL, at TEXT NOT NULL,
        access_groups TEXT);
      CREATE TABLE IF NOT EXISTS ${s}.votes (
        request_id TEXT NOT NULL, user_id TEXT NOT NULL, vote TEXT NOT NULL CHECK (vote IN ('up','down')),
        reason TEXT, at TEXT NOT NULL, PRIMARY KEY (request_id, user_id));
      CREATE TABLE IF NOT EXISTS ${s}.handoffs (
        request_id TEXT PRIMARY KEY, platform TEXT NOT NULL, channel_id TEXT NOT NULL, user_id TEXT NOT NULL, at TEXT NOT NULL);`));
    this.retentionDays = opts.retentionDays ?? 30;
  }

  async remember(request: AnswerRequest, reply: AnswerReply, requestId: string): Promise<void> {
    await this.ready();
    await this.pool.query(
      `INSERT INTO ${this.s}.exchanges (request_id, platform, channel_id, question, history, answer, citations, verdict, at, access_groups)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
       ON CONFLICT (request_id) DO UPDATE SET platform = excluded.platform, channel_id = excluded.channel_id, question = excluded.question,
         history = excluded.history, answer = excluded.answer, citations = excluded.citations, verdict = excluded.verdict, at = excluded.at,
         access_groups = excluded.access_groups`,
      [
        requestId, request.platform, request.channelId, request.question, JSON.stringify(request.history), reply.text, JSON.stringify(reply.citations),
        reply.grounding.verdict, new Date().toISOString(), JSON.stringify(request.accessGroups),
      ],
    );
  }

  /** One vote per user per answer: a second click replaces the first (people change their minds). */
  async record(vote: FeedbackVote): Promise<void> {
    await this.ready();
    await this.pool.query(
      `INSERT INTO ${this.s}.votes VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (request_id, user_id) DO UPDATE SET vote = excluded.vote, reason = COALESCE(excluded.reason, votes.reason), at = excluded.at`,
      [vote.requestId, vote.userId, vote.vote, vote.reason ?? null, vote.at],
    );
  }

  async exchange(requestId: string): Promise<Exchange | null> {
    await this.ready();
    const { rows } = await this.pool.query<Record<string, unknown>>(`SELECT * FROM ${this.s}.exchanges WHERE request_id = $1`, [requestId]);
    return rows[0] ? exchangeRow(rows[0]) : null;
  }

  /** ON CONFLICT DO NOTHING makes two replicas' simultaneous clicks one hand-off. */
  async claimHandOff(h: HandOff): Promise<boolean> {
    await this.ready();
    const res = await this.pool.query(
      `INSERT INTO ${this.s}.handoffs VALUES ($1,$2,$3,$4,$5) ON CONFLICT (request_id) DO NOTHING`,
      [h.requestId, h.platform, h.channelId, h.userId, h.at],
    );
    return res.rowCount === 1;
  }

  async releaseHandOff(requestId: string): Promise<void> {
    await this.ready();
    await this.pool.query(`DELETE FROM ${this.s}.handoffs WHERE request_id = $1`, [requestId]);
  }

  async evalCases(opts: { since?: string } = {}): Promise<FeedbackCaseRows[]> {
    return (await this.voted({ vote: 'down', ...(opts.since ? { since: opts.since } : {}) })).map(toCaseRows);
  }

  async voted(opts: { since?: string; vote: 'up' | 'down'; minVotes?: number }): Promise<VotedExchange[]> {
    await this.ready();
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `SELECT e.*, count(*) FILTER (WHERE v.vote = 'up') AS up, count(*) FILTER (WHERE v.vote = 'down') AS down,
         string_agg(v.reason, chr(1) ORDER BY v.at) AS reasons
       FROM ${this.s}.exchanges e JOIN ${this.s}.votes v ON v.request_id = e.request_id
       WHERE e.at >= $1 GROUP BY e.request_id ORDER BY e.at`,
      [opts.since ?? ''],
    );
    return rows.map(votedExchange).filter((e) => keepVoted(e, opts.vote, opts.minVotes));
  }

  async weakAnswers(opts: { since?: string } = {}): Promise<VotedExchange[]> {
    await this.ready();
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `SELECT e.*, count(v.vote) FILTER (WHERE v.vote = 'up') AS up, count(v.vote) FILTER (WHERE v.vote = 'down') AS down,
         string_agg(v.reason, chr(1) ORDER BY v.at) AS reasons
       FROM ${this.s}.exchanges e LEFT JOIN ${this.s}.votes v ON v.request_id = e.request_id
       WHERE e.at >= $1 GROUP BY e.request_id
       HAVING e.verdict IN (${WEAK_VERDICTS}) OR count(v.vote) FILTER (WHERE v.vote = 'down') > 0
         OR e.request_id IN (SELECT request_id FROM ${this.s}.handoffs) ORDER BY e.at`,
      [opts.since ?? ''],
    );
    return rows.map(votedExchange);
  }

  async prune(now = Date.now()): Promise<number> {
    await this.ready();
    const cutoff = new Date(now - this.retentionDays * 86_400_000).toISOString();
    const res = await this.pool.query(
      `DELETE FROM ${this.s}.exchanges e WHERE e.at < $1 AND NOT EXISTS (SELECT 1 FROM ${this.s}.votes v WHERE v.request_id = e.request_id)
         AND NOT EXISTS (SELECT 1 FROM ${this.s}.handoffs h WHERE h.request_id = e.request_id)`,
      [cutoff],
    );
    return res.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
