import type { BaseMessage } from '@langchain/core/messages';
import { Annotation, UntrackedValueChannel } from '@langchain/langgraph';
import type { AnswerRequest, Citation, GroundingVerdict, Turn } from '../../core/answer.js';
import type { SearchHit } from '../../core/search.js';
import type { SourceRef } from '../answering/citations.js';
import type { Assessment } from '../answering/grounding.js';
import type { Route } from '../query/routing.js';

/** Per-answer working state: held while the graph runs, never written to the checkpointer. */
const scratch = <T>() => () => new UntrackedValueChannel<T>({ guard: false });

export interface FinalAnswer {
  text: string;
  citations: Citation[];
  grounding: { verdict: GroundingVerdict; confidence: number };
}

/**
 * The graph's state. Only `turns` (the thread's memory) is checkpointed; everything else is
 * scratch for one answer and is set afresh by `initialState` each time.
 */
export const AgentState = Annotation.Root({
  turns: Annotation<Turn[]>({ reducer: (_, next) => next, default: () => [] }),
  question: scratch<string>(),
  accessGroups: scratch<string[]>(),
  /** Turns the chat surface sent; used when the checkpointer has none (a fresh process). */
  requestHistory: scratch<Turn[]>(),
  /** What the question needs, decided by the route node. */
  intent: scratch<Route>(),
  /** The calculation when the route is arithmetic. */
  expression: scratch<string | null>(),
  /** The question made self-contained by the rewriter (the question itself when not rewritten). */
  standalone: scratch<string>(),
  queries: scratch<string[]>(),
  /** Retrieved, merged and reranked passages, before grading. */
  hits: scratch<SearchHit[]>(),
  /** Retrieval showed the docs do not hold the answer and no web search could: decline without a model call. */
  nothingFound: scratch<boolean>(),
  /** Numbered passages the model has been shown. */
  sources: scratch<SourceRef[]>(),
  messages: scratch<BaseMessage[]>(),
  offeredTools: scratch<string[]>(),
  steps: scratch<number>(),
  retries: scratch<number>(),
  stepLimited: scratch<boolean>(),
  draft: scratch<string>(),
  toolsUsed: scratch<string[]>(),
  /** What calculator and run_code returned: evidence for numbers a sentence states without citing. */
  toolOutputs: scratch<string[]>(),
  assessment: scratch<Assessment | null>(),
  final: scratch<FinalAnswer | null>(),
});

export type AgentStateType = typeof AgentState.State;
export type AgentUpdate = Partial<AgentStateType>;

export function initialState(request: AnswerRequest): Omit<AgentStateType, 'turns'> {
  return {
    question: request.question.trim(),
    accessGroups: request.accessGroups,
    requestHistory: request.history,
    intent: 'retrieve',
    expression: null,
    standalone: request.question.trim(),
    queries: [],
    hits: [],
    nothingFound: false,
    sources: [],
    messages: [],
    offeredTools: [],
    steps: 0,
    retries: 0,
    stepLimited: false,
    draft: '',
    toolsUsed: [],
    toolOutputs: [],
    assessment: null,
    final: null,
  };
}

/** The thread so far: remembered turns, else what the chat surface sent; the last `limit`. */
export function historyOf(state: Pick<AgentStateType, 'turns' | 'requestHistory'>, limit: number): Turn[] {
  const turns = state.turns.length > 0 ? state.turns : state.requestHistory;
  return limit > 0 ? turns.slice(-limit) : [];
}
