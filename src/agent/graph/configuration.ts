import { CairnError } from '../../core/errors.js';

/** The agent's tunables with their defaults, in one place. `maxSteps` and `k` come from Config. */
export interface AgentOptions {
  /** Model calls the ReAct loop may make for one draft; the last one is offered no tools. */
  maxSteps: number;
  /** Passages kept after reranking the merged multi-query results. */
  k: number;
  /** Rewrites asked of the fast model besides the original question. */
  maxRewrites: number;
  /** Share of the question's terms the top passage must hold for rewriting to be skipped. */
  confidentCoverage: number;
  /** Earlier turns of the thread shown to the models. */
  historyTurns: number;
  /** Stream the draft to `onProgress` as the model writes it. */
  streaming: boolean;
  /** Lexical support at or above which a sentence counts as backed by its sources. */
  supportedAt: number;
  /** Lexical support below which a sentence is unsupported without asking the fast model. */
  unsupportedBelow: number;
  /** Passages whose pieces compete to be quoted when answering without a language model. */
  extractivePassages: number;
  /** Most pieces (sentences, lists, code blocks, table rows) quoted when answering without a language model. */
  extractivePieces: number;
  /** About how long those quotes may be together: short enough for a chat message. */
  extractiveChars: number;
  /** Longest snippet shown with a citation. */
  snippetChars: number;
  /** Threads the in-memory checkpointer remembers before forgetting the least recent. */
  memoryThreads: number;
}

export const DEFAULT_AGENT_OPTIONS: AgentOptions = {
  maxSteps: 4,
  k: 6,
  maxRewrites: 3,
  confidentCoverage: 0.75,
  historyTurns: 6,
  streaming: true,
  supportedAt: 0.6,
  unsupportedBelow: 0.3,
  extractivePassages: 8,
  extractivePieces: 3,
  extractiveChars: 700,
  snippetChars: 240,
  memoryThreads: 5000,
};

export function ensureAgentOptions(partial: Partial<AgentOptions> = {}): AgentOptions {
  const options = { ...DEFAULT_AGENT_OPTIONS, ...partial };
  if (options.unsupportedBelow > options.supportedAt) {
    throw new CairnError('CONFIG', 'Agent options: unsupportedBelow must not exceed supportedAt.');
  }
  return options;
}
