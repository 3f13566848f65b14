import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { END, START, StateGraph } from '@langchain/langgraph';
import { timed } from './context.js';
import { afterAct, afterCalculate, afterCheck, afterRetrieve, afterRoute } from './edges.js';
import { act } from './nodes/act.js';
import { calculate } from './nodes/calculate.js';
import { check } from './nodes/check.js';
import { finish } from './nodes/finish.js';
import { grade } from './nodes/grade.js';
import { retrieve } from './nodes/retrieve.js';
import { retry } from './nodes/retry.js';
import { route } from './nodes/route.js';
import { runTools } from './nodes/tools.js';
import { AgentState } from './state.js';

/**
 * route → (calculate | act | retrieve → [finish when nothing was found] grade → act ⇄ tools → check → [retry → act → check] → finish).
 * Wiring only: the nodes are in nodes/, the branch conditions in edges.ts.
 */
export function buildAgentGraph(checkpointer?: BaseCheckpointSaver) {
  return new StateGraph(AgentState)
    .addNode('route', timed('route', route))
    .addNode('calculate', timed('calculate', calculate))
    .addNode('retrieve', timed('retrieve', retrieve))
    .addNode('grade', timed('grade', grade))
    .addNode('act', timed('act', act))
    .addNode('tools', timed('tools', runTools))
    .addNode('check', timed('check', check))
    .addNode('retry', timed('retry', retry))
    .addNode('finish', timed('finish', finish))
    .addEdge(START, 'route')
    .addConditionalEdges('route', afterRoute, ['calculate', 'act', 'retrieve'])
    .addConditionalEdges('calculate', afterCalculate, ['finish', 'retrieve'])
    .addConditionalEdges('retrieve', afterRetrieve, ['grade', 'finish'])
    .addEdge('grade', 'act')
    .addConditionalEdges('act', afterAct, ['tools', 'check', 'finish'])
    .addEdge('tools', 'act')
    .addConditionalEdges('check', afterCheck, ['retry', 'finish'])
    .addEdge('retry', 'act')
    .addEdge('finish', END)
    .compile(checkpointer ? { checkpointer } : {});
}

export type AgentGraph = ReturnType<typeof buildAgentGraph>;
