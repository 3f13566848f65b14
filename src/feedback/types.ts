import type { AnswerReply, AnswerRequest } from '../core/answer.js';
import type { FeedbackRecorder, HandOff } from '../core/feedback.js';
import type { FeedbackCaseRows } from './feedback-dataset.js';

/** One answer as feedback.sqlite keeps it: what was asked, where, and what came back. */
export interface Exchange {
  requestId: string;
  platform: string;
  channelId: string;
  question: string;
  history: AnswerRequest['history'];
  answer: string;
  citations: AnswerReply['citations'];
  verdict: string;
  at: string;
  /**
   * The groups the answer could draw on (its audience's), which bound what its text may reveal; each
   * citation also carries its own group. null for answers recorded before groups were kept.
   */
  accessGroups: string[] | null;
}

/** An exchange with its vote tally and the reasons people gave for their votes. */
export interface VotedExchange extends Exchange {
  up: number;
  down: number;
  reasons: string[];
}

type Awaitable<T> = T | Promise<T>;

/**
 * Where answers and votes are kept: `<dataDir>/feedback.sqlite` for one process (FeedbackStore,
 * synchronous), PostgreSQL for several replicas (PgFeedbackStore). Callers always await, so either fits.
 */
export interface FeedbackRepository extends FeedbackRecorder {
  remember(request: AnswerRequest, reply: AnswerReply, requestId: string): Awaitable<void>;
  /** One exchange by its requestId (a Share or hand-off click on any replica), or null. */
  exchange(requestId: string): Awaitable<Exchange | null>;
  /**
   * Records a hand-off unless the answer already has one: true for the first, false after (whoever
   * clicked, on whichever replica). The row is the dedupe, so it is written before the mention is posted.
   */
  claimHandOff(handOff: HandOff): Awaitable<boolean>;
  /** Removes a hand-off whose mention could not be posted, so a later click may try again. */
  releaseHandOff(requestId: string): Awaitable<void>;
  /** Every 👎 exchange as eval-case rows, oldest first. */
  evalCases(opts?: { since?: string }): Awaitable<FeedbackCaseRows[]>;
  /**
   * Answers that point at a gap in the docs, with their vote counts, oldest first: declined or not
   * (fully) supported by the passages, voted 👎, or handed off to a person.
   */
  weakAnswers(opts?: { since?: string }): Awaitable<VotedExchange[]>;
  /** Exchanges with their vote counts, oldest first. */
  voted(opts: { since?: string; vote: 'up' | 'down'; minVotes?: number }): Awaitable<VotedExchange[]>;
  /** Deletes exchanges nobody voted on or handed off after the retention; returns how many. */
  prune(now?: number): Awaitable<number>;
  close(): Awaitable<void>;
}

/**
 * Grounding verdicts of answers the docs did not hold: a decline or an unsupported answer, or one only
 * partly supported. As SQL, for both engines' queries.
 */
export const WEAK_VERDICTS = ['unsupported', 'partial'].map((v) => `'${v}'`).join(', ');

/** A stored exchange row (either engine), as the exports read it. */
export function exchangeRow(r: Record<string, unknown>): Exchange {
  return {
    requestId: String(r.request_id), platform: String(r.platform), channelId: String(r.channel_id), question: String(r.question),
    history: JSON.parse(String(r.history)) as Exchange['history'], answer: String(r.answer),
    citations: JSON.parse(String(r.citations)) as Exchange['citations'], verdict: String(r.verdict), at: String(r.at),
    accessGroups: r.access_groups === null || r.access_groups === undefined ? null : (JSON.parse(String(r.access_groups)) as string[]),
  };
}

/** A stored exchange row (either engine) with its tallies, as the exports read it. */
export function votedExchange(r: Record<string, unknown>): VotedExchange {
  return {
    ...exchangeRow(r),
    up: Number(r.up), down: Number(r.down), reasons: r.reasons ? String(r.reasons).split('\u0001').filter(Boolean) : [],
  };
}

/** Which voted exchanges a query for `vote` keeps. */
export function keepVoted(e: VotedExchange, vote: 'up' | 'down', minVotes = 1): boolean {
  return vote === 'up' ? e.up >= minVotes && e.up > e.down : e.down >= minVotes;
}
