import type { RunContext } from '../context.js';
import type { AgentStateType, AgentUpdate } from '../state.js';
import { TOOL } from '../../tools/toolset.js';

/** Answers a pure calculation with the calculator; one it cannot compute goes on to retrieval. */
export async function calculate(state: AgentStateType, ctx: RunContext): Promise<AgentUpdate> {
  const arithmetic = ctx.deps.arithmetic;
  if (!arithmetic || state.expression === null) return { intent: 'retrieve' };
  ctx.progress({ kind: 'status', step: 'tool', detail: TOOL.calculator });
  const result = await arithmetic.evaluate(state.expression);
  if (!result.ok) return { intent: 'retrieve', toolsUsed: [TOOL.calculator] };
  return { draft: `${state.expression} = ${result.result}`, toolsUsed: [TOOL.calculator] };
}
