import type Database from 'better-sqlite3';
import type { AnswerReply, AnswerRequest } from '../core/answer.js';
import type { FeedbackVote, HandOff } from '../core/feedback.js';
import { openDataFile } from '../core/sqlite-file.js';
import { toCaseRows, type FeedbackCaseRows } from './feedback-dataset.js';
import { exchangeRow, keepVoted, votedExchange, WEAK_VERDICTS, type Exchange, type FeedbackRepository, type VotedExchange } from './types.js';

/**
 * Answers, the votes on them and their hand-offs to a person, in `<dataDir>/feedback.sqlite`. A 👎
 * turns its exchange into an eval case; 👍 exchanges feed the fine-tuning export. Exchanges nobody voted on or handed off are pruned after
 * `retentionDays`. One process only: several replicas share PgFeedbackStore instead.
 */
export class FeedbackStore implements FeedbackRepository {
  private readonly db: Database.Database;
  private readonly retentionDays: number;

  /** `busyTimeoutMs`: how long a statement waits, blocking the process, for another connection's lock. */
  constructor(dataDir: string, opts: { retentionDays?: number; busyTimeoutMs?: number } = {}) {
    this.retentionDays = opts.retentionDays ?? 30;
    this.db = openDataFile(dataDir, 'feedback.sqlite', `
      CREATE TABLE IF NOT EXISTS exchanges (
        request_id TEXT PRIMARY KEY, platform TEXT NOT NULL, channel_id TEXT NOT NULL, question TEXT NOT NULL,
        history TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, verdict TEXT NOT NULL, at TEXT NOT NULL, access_groups TEXT);
      CREATE TABLE IF NOT EXISTS votes (
        request_id TEXT NOT NULL, user_id TEXT NOT NULL, vote TEXT NOT NULL CHECK (vote IN ('up','down')),
        reason TEXT, at TEXT NOT NULL, PRIMARY KEY (request_id, user_id));
      CREATE TABLE IF NOT EXISTS handoffs (
        request_id TEXT PRIMARY KEY, platform TEXT NOT NULL, channel_id TEXT NOT NULL, user_id TEXT NOT NULL, at TEXT NOT NULL);`,
      { busyTimeoutMs: opts.busyTimeoutMs, upgrade: addAccessGroups },
    );
  }

  remember(request: AnswerRequest, reply: AnswerReply, requestId: string): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO exchanges (request_id, platform, channel_id, question, history, answer, citations, verdict, at, access_groups) VALUES (?,?,?,?,?,?,?,?,?,?)`)
      .run(
        requestId, request.platform, request.channelId, request.question, JSON.stringify(request.history), reply.text, JSON.stringify(reply.citations),
        reply.grounding.verdict, new Date().toISOString(), JSON.stringify(request.accessGroups),
      );
  }

  /** One vote per user per answer: a second click replaces the first (people change their minds). */
  async record(vote: FeedbackVote): Promise<void> {
    this.db
      .prepare(`INSERT INTO votes VALUES (?,?,?,?,?) ON CONFLICT (request_id, user_id) DO UPDATE SET vote = excluded.vote, reason = COALESCE(excluded.reason, votes.reason), at = excluded.at`)
      .run(vote.requestId, vote.userId, vote.vote, vote.reason ?? null, vote.at);
  }

  exchange(requestId: string): Exchange | null {
    const row = this.db.prepare(`SELECT * FROM exchanges WHERE request_id = ?`).get(requestId) as Record<string, unknown> | undefined;
    return row ? exchangeRow(row) : null;
  }

  claimHandOff(h: HandOff): boolean {
    return this.db
      .prepare(`INSERT INTO handoffs VALUES (?,?,?,?,?) ON CONFLICT (request_id) DO NOTHING`)
      .run(h.requestId, h.platform, h.channelId, h.userId, h.at).changes === 1;
  }

  releaseHandOff(requestId: string): void {
    this.db.prepare(`DELETE FROM handoffs WHERE request_id = ?`).run(requestId);
  }

  /** Every 👎 exchange as eval-case rows (the feedback dataset format), oldest first. */
  evalCases(opts: { since?: string } = {}): FeedbackCaseRows[] {
    return this.voted({ vote: 'down', ...(opts.since ? { since: opts.since } : {}) }).map(toCaseRows);
  }

  /** Exchanges with their vote counts, oldest first. */
  voted(opts: { since?: string; vote: 'up' | 'down'; minVotes?: number }): VotedExchange[] {
    const rows = this.db
      .prepare(`
        SELECT e.*, SUM(v.vote = 'up') AS up, SUM(v.vote = 'down') AS down, GROUP_CONCAT(v.reason, '\u0001') AS reasons
        FROM exchanges e JOIN votes v ON v.request_id = e.request_id
        WHERE e.at >= ? GROUP BY e.request_id ORDER BY e.at`)
      .all(opts.since ?? '') as (Record<string, string | number | null>)[];
    return rows.map(votedExchange).filter((e) => keepVoted(e, opts.vote, opts.minVotes));
  }

  weakAnswers(opts: { since?: string } = {}): VotedExchange[] {
    const rows = this.db
      .prepare(`
        SELECT e.*, COALESCE(SUM(v.vote = 'up'), 0) AS up, COALESCE(SUM(v.vote = 'down'), 0) AS down, GROUP_CONCAT(v.reason, '\u0001') AS reasons
        FROM exchanges e LEFT JOIN votes v ON v.request_id = e.request_id
        WHERE e.at >= ? GROUP BY e.request_id
        HAVING e.verdict IN (${WEAK_VERDICTS}) OR SUM(v.vote = 'down') > 0 OR e.request_id IN (SELECT request_id FROM handoffs) ORDER BY e.at`)
      .all(opts.since ?? '') as (Record<string, string | number | null>)[];
    return rows.map(votedExchange);
  }

  prune(now = Date.now()): number {
    const cutoff = new Date(now - this.retentionDays * 86_400_000).toISOString();
    return this.db.prepare(`DELETE FROM exchanges WHERE at < ? AND request_id NOT IN (SELECT request_id FROM votes) AND request_id NOT IN (SELECT request_id FROM handoffs)`).run(cutoff).changes;
  }

  close(): void {
    this.db.close();
  }
}

/** Files written before exchanges recorded the asking conversation's access groups lack the column. */
function addAccessGroups(db: Database.Database): void {
  const columns = db.prepare(`PRAGMA table_info(exchanges)`).all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'access_groups')) db.exec(`ALTER TABLE exchanges ADD COLUMN access_groups TEXT`);
}
