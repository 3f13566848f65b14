import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Serialized } from '@langchain/core/load/serializable';
import type { LLMResult } from '@langchain/core/outputs';
import type { Metrics } from './metrics.js';

/**
 * A LangChain callback handler that turns model and tool runs into Prometheus series. The agent
 * tags each model call with `purpose:<name>` (answer, rewrite, grade, grounding, judge).
 */
export class LangChainMetricsHandler extends BaseCallbackHandler {
  name = 'cairn-metrics';
  private readonly started = new Map<string, { at: number; model: string; purpose: string }>();
  private readonly tools = new Map<string, string>();

  constructor(private readonly metrics: Metrics) {
    super();
  }

  override handleChatModelStart(_llm: Serialized, _messages: unknown, runId: string, _parent?: string, extra?: Record<string, unknown>, tags?: string[]): void {
    const params = (extra?.invocation_params ?? {}) as { model?: string; model_name?: string };
    this.started.set(runId, { at: performance.now(), model: params.model ?? params.model_name ?? 'unknown', purpose: purposeOf(tags) });
  }

  override handleLLMEnd(output: LLMResult, runId: string): void {
    const run = this.started.get(runId);
    if (!run) return;
    this.started.delete(runId);
    const labels = { model: run.model, purpose: run.purpose };
    this.metrics.llmLatency.observe(labels, (performance.now() - run.at) / 1000);
    const usage = tokenUsage(output);
    if (usage.prompt > 0) this.metrics.llmTokens.inc({ ...labels, kind: 'prompt' }, usage.prompt);
    if (usage.completion > 0) this.metrics.llmTokens.inc({ ...labels, kind: 'completion' }, usage.completion);
  }

  override handleLLMError(_err: unknown, runId: string): void {
    const run = this.started.get(runId);
    if (!run) return;
    this.started.delete(runId);
    this.metrics.llmLatency.observe({ model: run.model, purpose: run.purpose }, (performance.now() - run.at) / 1000);
  }

  override handleToolStart(tool: Serialized, _input: string, runId: string, _parent?: string, _tags?: string[], _meta?: Record<string, unknown>, runName?: string): void {
    this.tools.set(runId, runName ?? tool.id.at(-1) ?? 'unknown');
  }

  override handleToolEnd(output: unknown, runId: string): void {
    const tool = this.tools.get(runId) ?? 'unknown';
    this.tools.delete(runId);
    // Cairn's tools report failures as text starting "Error:" instead of throwing.
    const text = typeof output === 'string' ? output : String((output as { content?: unknown })?.content ?? '');
    this.metrics.toolCalls.inc({ tool, outcome: text.startsWith('Error:') ? 'error' : 'ok' });
  }

  override handleToolError(_err: unknown, runId: string): void {
    const tool = this.tools.get(runId) ?? 'unknown';
    this.tools.delete(runId);
    this.metrics.toolCalls.inc({ tool, outcome: 'error' });
  }
}

function purposeOf(tags: string[] | undefined): string {
  const tag = tags?.find((t) => t.startsWith('purpose:'));
  return tag ? tag.slice('purpose:'.length) : 'answer';
}

function tokenUsage(output: LLMResult): { prompt: number; completion: number } {
  const usage = (output.llmOutput?.tokenUsage ?? output.llmOutput?.estimatedTokenUsage) as { promptTokens?: number; completionTokens?: number } | undefined;
  if (usage) return { prompt: usage.promptTokens ?? 0, completion: usage.completionTokens ?? 0 };
  let prompt = 0;
  let completion = 0;
  for (const gen of output.generations.flat()) {
    const meta = (gen as { message?: { usage_metadata?: { input_tokens?: number; output_tokens?: number } } }).message?.usage_metadata;
    prompt += meta?.input_tokens ?? 0;
    completion += meta?.output_tokens ?? 0;
  }
  return { prompt, completion };
}
