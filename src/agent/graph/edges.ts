import type { AIMessage } from '@langchain/core/messages';
import { claims, declinedOutright } from '../answering/grounding.js';
import type { AgentStateType } from './state.js';

/** Where the graph goes after each branching node: pure functions of the state. */

export function afterRoute(state: AgentStateType): 'calculate' | 'act' | 'retrieve' {
  if (state.intent === 'arithmetic') return 'calculate';
  return state.intent === 'smalltalk' ? 'act' : 'retrieve';
}

/** Straight to the decline when retrieval already showed there is nothing to answer from. */
export function afterRetrieve(state: AgentStateType): 'grade' | 'finish' {
  return state.nothingFound ? 'finish' : 'grade';
}

export function afterCalculate(state: AgentStateType): 'finish' | 'retrieve' {
  return state.intent === 'arithmetic' ? 'finish' : 'retrieve';
}

export function afterAct(state: AgentStateType): 'tools' | 'check' | 'finish' {
  const last = state.messages.at(-1) as AIMessage | undefined;
  const calls = (last?.tool_calls?.length ?? 0) + (last?.invalid_tool_calls?.length ?? 0);
  if (calls > 0 && state.offeredTools.length > 0) return 'tools';
  if (state.intent === 'smalltalk' || state.stepLimited) return 'finish';
  return 'check';
}

/**
 * One retry when a sentence is unsupported. A draft that declined outright is not retried: the
 * model already looked and found nothing, and asking again would only cost a call.
 */
export function afterCheck(state: AgentStateType): 'retry' | 'finish' {
  const assessment = state.assessment;
  if (!assessment || declinedOutright(assessment) || state.retries > 0) return 'finish';
  return claims(assessment).some((c) => c.status === 'unsupported') ? 'retry' : 'finish';
}
