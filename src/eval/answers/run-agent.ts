import type { Answerer } from '../../core/answer.js';
import { isDecline } from './judge-free.js';
import type { RecordingRetriever } from './recording-retriever.js';
import type { AnswerRun, EvalCase } from './types.js';

export interface RunDeps {
  agent: Answerer;
  /** The retriever the agent was built over, recording what it returns. */
  recorder: RecordingRetriever;
  accessGroups: string[];
  /** Passages the agent keeps per search (RETRIEVE_K). */
  k: number;
  /** Maps an indexed source to the dataset's document id. */
  docIdOf: (source: string) => string;
}

/** Asks the agent one case, as a user in a thread would (history = the earlier turns), and keeps what it retrieved. */
export async function runCase(c: EvalCase, deps: RunDeps): Promise<AnswerRun> {
  const started = performance.now();
  const reply = await deps.agent.answer({
    question: c.question,
    asker: { id: 'eval' },
    platform: 'eval',
    channelId: 'eval',
    history: c.history,
    accessGroups: deps.accessGroups,
    requestId: `eval-${c.id}`,
  });
  const ms = performance.now() - started;
  const hits = deps.recorder.take(deps.k, reply.citations.map((cite) => cite.chunkId));
  return {
    answer: reply.text,
    citations: reply.citations.map((cite) => ({ n: cite.n, docId: deps.docIdOf(cite.source), source: cite.source, chunkId: cite.chunkId })),
    contexts: hits.map(({ chunk }) => ({ chunkId: chunk.id, docId: deps.docIdOf(chunk.source), title: chunk.title, source: chunk.source, text: chunk.text })),
    declined: isDecline(reply.text),
    verdict: reply.grounding.verdict,
    ms: Math.round(ms),
  };
}
