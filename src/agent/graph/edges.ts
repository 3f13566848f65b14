import type { AIMessage } from '@langchain/core/messages';
import { claims } from '../answering/grounding.js';
import type { AgentStateType } from './state.js';

/** Where the graph goes after each branching node: pure functions of the state. */

export function afterRoute(state: AgentStateType): 'calculate' | 'act' | 'retrieve' {
  if (state.intent === 'arithmetic') return 'calculate';
  return state.intent === 'smalltalk' ? 'act' : 'retrieve';
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

/** One retry when a sentence is unsupported; a draft that declined outright is not retried. */
export function afterCheck(state: AgentStateType): 'retry' | 'finish' {
  const unsupported = state.assessment ? claims(state.assessment).some((c) => c.status === 'unsupported') : false;
  return unsupported && state.retries === 0 ? 'retry' : 'finish';
}
