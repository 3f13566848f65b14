import type { Turn } from '../../../core/answer.js';
import { finalizeCitations, SourceRegistry, type SourceRef } from '../../answering/citations.js';
import type { RunContext } from '../context.js';
import { supportedText, verdictOf } from '../../answering/grounding.js';
import { calculated, declined, smalltalk, type Composed } from '../../answering/compose.js';
import { CLOSEST_COUNT, PARTIAL_NOTE, stepLimitReached } from '../../answering/replies.js';
import { historyOf, type AgentStateType, type AgentUpdate, type FinalAnswer } from '../state.js';

/**
 * Turns the checked draft into the reply: unsupported sentences left out (with a note), or a
 * plain decline naming the closest passages when nothing is supported; citations renumbered so
 * every [n] resolves and every listed citation is cited. Remembers the exchange for the thread.
 */
export async function finish(state: AgentStateType, ctx: RunContext): Promise<AgentUpdate> {
  const { options } = ctx.deps;
  const registry = new SourceRegistry(state.sources);
  const closest = closestSources(state, registry);
  const { text, grounding } = compose(state, closest, options.maxSteps);
  const final: FinalAnswer = { ...finalizeCitations(text, registry.all(), options.snippetChars), grounding };
  const exchange: Turn[] = [{ role: 'user', text: state.question }, { role: 'assistant', text: final.text }];
  return { final, turns: [...historyOf(state, options.historyTurns), ...exchange].slice(-options.historyTurns) };
}

function compose(state: AgentStateType, closest: SourceRef[], maxSteps: number): Composed {
  if (state.intent === 'arithmetic') return calculated(state.draft);
  if (state.intent === 'smalltalk') return smalltalk(state.draft);
  if (state.stepLimited) return declined(closest, { lead: stepLimitReached(maxSteps) });
  if (state.nothingFound) return declined(closest);
  const assessment = state.assessment;
  const grounding = assessment ? verdictOf(assessment) : { verdict: 'unsupported' as const, confidence: 0 };
  const kept = assessment ? supportedText(assessment) : '';
  if (grounding.verdict === 'unsupported' || kept === '') return declined(closest, { confidence: grounding.confidence });
  if (grounding.verdict === 'partial') return { text: `${kept}\n\n${PARTIAL_NOTE}`, grounding };
  return { text: kept, grounding };
}

/** The best passages shown to the model, or, when grading dropped them all, the best retrieved. */
function closestSources(state: AgentStateType, registry: SourceRegistry): SourceRef[] {
  const shown = state.sources.filter((s) => s.kind === 'doc');
  if (shown.length > 0) return shown.slice(0, CLOSEST_COUNT);
  return registry.addHits(state.hits.slice(0, CLOSEST_COUNT));
}
