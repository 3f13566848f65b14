import type { Callbacks } from '@langchain/core/callbacks/manager';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../config/config.js';
import { CairnError } from '../core/errors.js';
import type { RunMeter } from './meter.js';

/** The answering model and a (possibly cheaper) one for rewriting and checking. */
export interface LanguageModels {
  main: ChatOpenAI;
  fast: ChatOpenAI;
  /** Where the models are served, for error messages. */
  endpoint: string;
  timeoutMs: number;
}

/**
 * Chat models from `Config['llm']`, or null when none is configured (extractive mode). The
 * OpenAI-compatible Chat Completions API is all it uses, so OpenAI, Azure OpenAI's v1 endpoint,
 * vLLM (a LoRA adapter is just another model name), Ollama and llama.cpp's server all work.
 */
export function createLanguageModels(llm: Config['llm']): LanguageModels | null {
  if (!llm.enabled) return null;
  const make = (model: string) =>
    new ChatOpenAI({
      model,
      temperature: llm.temperature,
      timeout: llm.timeoutMs,
      maxRetries: llm.maxRetries,
      // Local servers need no key, but the client refuses to start without one.
      apiKey: llm.apiKey ?? 'no-key-needed',
      configuration: llm.baseUrl ? { baseURL: llm.baseUrl } : {},
      // The Responses API exists only at OpenAI; self-hosted servers speak Chat Completions.
      useResponsesApi: false,
      streamUsage: true,
    });
  const main = make(llm.model);
  return {
    main,
    fast: llm.fastModel === llm.model ? main : make(llm.fastModel),
    endpoint: llm.baseUrl ?? 'https://api.openai.com/v1',
    timeoutMs: llm.timeoutMs,
  };
}

/** What a model call is for; the metrics handler labels latency and tokens by it. */
export type CallPurpose = 'answer' | 'rewrite' | 'grounding';

export interface ModelCall {
  purpose: CallPurpose;
  tools?: StructuredToolInterface[];
  /** When set, the reply is streamed and this receives the whole text so far after each delta. */
  onText?: (textSoFar: string) => void;
}

/** Per-answer things every call needs. */
export type CallScope = {
  meter: RunMeter;
  signal?: AbortSignal;
  callbacks?: Callbacks;
};

/**
 * One metered model call. Failures of the model service become `LLM_UNAVAILABLE`; anything else
 * (a bug in how the call was built) is rethrown as is.
 */
export async function callModel(
  models: LanguageModels,
  which: 'main' | 'fast',
  messages: BaseMessage[],
  call: ModelCall,
  scope: CallScope,
): Promise<AIMessageChunk> {
  const model = models[which];
  const runnable = call.tools && call.tools.length > 0 ? model.bindTools(call.tools) : model;
  const options = { signal: scope.signal, callbacks: scope.callbacks, tags: [`purpose:${call.purpose}`] };
  const at = performance.now();
  let reply: AIMessageChunk | undefined;
  try {
    if (call.onText) {
      // stream() rather than invoke() with streaming on: the latter counts tokens with tiktoken,
      // which downloads its encoding on first use and hangs where there is no internet.
      let text = '';
      for await (const chunk of await runnable.stream(messages, options)) {
        reply = reply ? reply.concat(chunk) : chunk;
        if (typeof chunk.content === 'string' && chunk.content.length > 0) {
          text += chunk.content;
          call.onText(text);
        }
      }
    } else {
      reply = await runnable.invoke(messages, options);
    }
  } catch (err) {
    scope.meter.countCall();
    if (scope.signal?.aborted) throw err;
    throw toLlmError(err, models);
  } finally {
    scope.meter.addTime('llm', performance.now() - at);
  }
  if (!reply) throw new CairnError('LLM_UNAVAILABLE', `The language model at ${models.endpoint} sent an empty stream.`, { userMessage: 'The language model sent an empty reply.' });
  scope.meter.countCall(reply.usage_metadata);
  return reply;
}

/** Names what went wrong with the model service, for the operator and, briefly, for the user. */
export function toLlmError(err: unknown, models: Pick<LanguageModels, 'endpoint' | 'timeoutMs'>): unknown {
  const e = (err ?? {}) as { name?: string; status?: unknown; constructor?: { name?: string } };
  const kind = e.constructor?.name ?? '';
  let what: string;
  let hint = 'Check OPENAI_BASE_URL and that the server is up.';
  if (e.name === 'TimeoutError' || kind === 'APIConnectionTimeoutError') {
    what = `did not answer within ${models.timeoutMs / 1000} s`;
    hint = 'Raise LLM_TIMEOUT_MS or use a faster model.';
  } else if (typeof e.status === 'number') {
    what = `answered HTTP ${e.status}`;
    if (e.status === 401 || e.status === 403) hint = 'Check OPENAI_API_KEY.';
    if (e.status === 404) hint = 'Check LLM_MODEL and LLM_FAST_MODEL: the server does not know the model.';
  } else if (kind === 'APIConnectionError' || e.name === 'AbortError') {
    what = 'could not be reached';
  } else {
    return err;
  }
  return new CairnError('LLM_UNAVAILABLE', `The language model at ${models.endpoint} ${what}. ${hint}`, {
    cause: err,
    userMessage: `The language model is unavailable right now (it ${what.replace(/answered HTTP \d+/, 'returned an error')}).`,
  });
}
