import type { RunContext } from '../context.js';
import { routeQuestion } from '../../query/routing.js';
import type { AgentStateType, AgentUpdate } from '../state.js';

/** Rules, not a model call: small talk and pure arithmetic skip retrieval, everything else retrieves. */
export async function route(state: AgentStateType, ctx: RunContext): Promise<AgentUpdate> {
  ctx.progress({ kind: 'status', step: 'routing' });
  const decided = routeQuestion(state.question, ctx.deps.arithmetic?.extract);
  return { intent: decided.route, expression: decided.expression ?? null };
}
