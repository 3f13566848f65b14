import type { AnswerReply, AnswerRequest } from '../core/answer.js';

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
