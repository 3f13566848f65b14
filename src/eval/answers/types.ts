import type { Turn } from '../../core/answer.js';
import type { MetricName, MetricValues } from './metric-names.js';

/** One question to put to the agent, with whatever gold data the set has for it. */
export interface EvalCase {
  id: string;
  question: string;
  /** Earlier turns of the thread (a follow-up's context), oldest first. */
  history: Turn[];
  kind: string;
  /** false: the documents do not hold the answer and the right reply declines. */
  answerable: boolean;
  /** Short gold answer; absent for feedback cases nobody has answered yet. */
  goldAnswer?: string;
  /** Corpus id → graded relevance (qrels). */
  goldDocs: Map<string, number>;
  /** A phrase quoted verbatim from a gold document. */
  evidence?: string;
  /** Feedback cases: the answer users voted down, and why. */
  rejected?: { answer: string; reasons: string[]; contexts: ContextPassage[] };
}

/** A passage the agent retrieved, in the order it was ranked. */
export interface ContextPassage {
  chunkId: string;
  /** The dataset's corpus id (or the source, outside a dataset). */
  docId: string;
  title: string;
  source: string;
  text: string;
}

export interface CitedSource {
  n: number;
  docId: string;
  source: string;
  chunkId: string;
}

/** What the agent did with one case. */
export interface AnswerRun {
  answer: string;
  citations: CitedSource[];
  /** Retrieved passages, fused over every search the agent made, cited ones included. */
  contexts: ContextPassage[];
  declined: boolean;
  verdict: string;
  ms: number;
}

/** The judge's reasons, shown next to the scores. */
export interface JudgeVerdicts {
  claims?: Array<{ claim: string; supported: boolean }>;
  citations?: Array<{ sentence: string; source: number; supported: boolean }>;
  contexts?: boolean[];
  recall?: Array<{ statement: string; attributed: boolean }>;
  questions?: { generated: string[]; noncommittal: boolean };
  errors?: string[];
}

export interface AnswerRow {
  id: string;
  kind: string;
  answerable: boolean;
  question: string;
  history: Turn[];
  goldAnswer?: string;
  goldDocs: string[];
  evidence?: string;
  rejectedAnswer?: string;
  reasons?: string[];
  answer: string;
  declined: boolean;
  citations: CitedSource[];
  contexts: Array<ContextPassage & { rank: number; cited: boolean }>;
  metrics: MetricValues;
  verdicts: JudgeVerdicts | null;
  ms: number;
}

export interface MetricSummary {
  mean: number;
  /** Questions it applied to. */
  n: number;
}

export interface AnswerReport {
  /** `dataset` for a BEIR-layout set, `feedback` for replayed 👎 cases. */
  source: 'dataset' | 'feedback';
  dataset: string;
  at: string;
  mode: 'agent' | 'extractive';
  model: string | null;
  judge: string | null;
  /** Metrics this run could not compute because no judge model is configured. */
  needsJudge: MetricName[];
  /** Why there is no judge, when there is none. */
  judgeNote?: string;
  embedder: string;
  /** Passages the agent keeps per search (RETRIEVE_K): the k of recall@k. */
  k: number;
  questions: number;
  answerable: number;
  averages: Partial<Record<MetricName, MetricSummary>>;
  byKind: Record<string, Partial<Record<MetricName, MetricSummary>>>;
  rows: AnswerRow[];
}
