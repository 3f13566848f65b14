import type { RunContext } from '../context.js';
import { assessDraft, settleBorderline } from '../../answering/grounding.js';
import { checkClaims } from '../../answering/claim-check.js';
import type { AgentStateType, AgentUpdate } from '../state.js';

/**
 * Checks every sentence of the draft against the passages it cites. Word overlap settles the
 * clear cases for free; only borderline sentences cost one fast-model call, all of them together.
 */
export async function check(state: AgentStateType, ctx: RunContext): Promise<AgentUpdate> {
  ctx.progress({ kind: 'status', step: 'checking' });
  let assessment = assessDraft(state.draft, state.sources, state.toolOutputs, ctx.deps.options);
  const borderline = assessment.sentences.filter((s) => s.status === 'borderline');
  if (borderline.length > 0) {
    const backed = await checkClaims(ctx, borderline, state.sources);
    assessment = settleBorderline(assessment, (s) => backed.has(s));
  }
  return { assessment };
}
