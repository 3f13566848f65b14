import type { Turn } from '../../../core/answer.js';
import { finalizeCitations, SourceRegistry, type SourceRef } from '../../answering/citations.js';
import type { RunContext } from '../context.js';
import { supportedText, verdictOf } from '../../answering/grounding.js';
import { CLOSEST_COUNT, notFound, PARTIAL_NOTE, SMALLTALK_WITHOUT_LLM, stepLimitReached } from '../../answering/replies.js';
import { stripMarkers } from '../../answering/sentences.js';
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

function compose(state: AgentStateType, closest: SourceRef[], maxSteps: number): Pick<FinalAnswer, 'text' | 'grounding'> {
  if (state.intent === 'arithmetic') return { text: state.draft, grounding: { verdict: 'not_needed', confidence: 1 } };
  if (state.intent === 'smalltalk') {
    return { text: stripMarkers(state.draft).trim() || SMALLTALK_WITHOUT_LLM, grounding: { verdict: 'not_needed', confidence: 1 } };
  }
  if (state.stepLimited) return { text: stepLimitReached(maxSteps, closest), grounding: { verdict: 'unsupported', confidence: 0 } };
  const assessment = state.assessment;
  const grounding = assessment ? verdictOf(assessment) : { verdict: 'unsupported' as const, confidence: 0 };
  const kept = assessment ? supportedText(assessment) : '';
  if (grounding.verdict === 'unsupported' || kept === '') {
    return { text: notFound(closest), grounding: { verdict: 'unsupported', confidence: grounding.confidence } };
  }
  if (grounding.verdict === 'partial') return { text: `${kept}\n\n${PARTIAL_NOTE}`, grounding };
  return { text: kept, grounding };
}

/** The best passages shown to the model, or, when grading dropped them all, the best retrieved. */
function closestSources(state: AgentStateType, registry: SourceRegistry): SourceRef[] {
  const shown = state.sources.filter((s) => s.kind === 'doc');
  if (shown.length > 0) return shown.slice(0, CLOSEST_COUNT);
  return registry.addHits(state.hits.slice(0, CLOSEST_COUNT));
}
