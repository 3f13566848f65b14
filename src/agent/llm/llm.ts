import type { Callbacks } from '@langchain/core/callbacks/manager';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../../config/config.js';
import { CairnError, isCairnError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { watchCall } from './call-watch.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { circuitOpenError, expiredError, isRequestError, toLlmError, type ModelEndpoint } from './llm-errors.js';
import type { RunMeter } from './meter.js';

/** The answering model and a (possibly cheaper) one for rewriting and checking. */
export interface LanguageModels extends ModelEndpoint {
  main: ChatOpenAI;
  fast: ChatOpenAI;
  /** Shared by both models: they are served from the same place and fail together. */
  breaker: CircuitBreaker;
}

/**
 * Chat models from `Config['llm']`, or null when none is configured (extractive mode). The
 * OpenAI-compatible Chat Completions API is all it uses, so OpenAI, Azure OpenAI's v1 endpoint,
 * vLLM (a LoRA adapter is just another model name), Ollama and llama.cpp's server all work.
 */
export function createLanguageModels(llm: Config['llm'], logger?: Logger): LanguageModels | null {
  if (!llm.enabled) return null;
  const make = (model: string) =>
    new ChatOpenAI({
      model,
      temperature: llm.temperature,
      // Per attempt and only until the headers; callModel's watch bounds the whole call.
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
  const endpoint = llm.baseUrl ?? 'https://api.openai.com/v1';
  const breaker = new CircuitBreaker({
    failures: llm.breaker.failures,
    cooldownMs: llm.breaker.cooldownMs,
    onChange: (state, failures) => {
      if (state === 'open') logger?.warn({ endpoint, failures, cooldownMs: llm.breaker.cooldownMs }, 'language model keeps failing; answering extractively until it is probed again');
      else logger?.info({ endpoint }, 'language model answering again');
    },
  });
  return {
    main,
    fast: llm.fastModel === llm.model ? main : make(llm.fastModel),
    breaker,
    endpoint,
    timeoutMs: llm.timeoutMs,
    idleTimeoutMs: llm.idleTimeoutMs,
  };
}
/** What a model call is for; the metrics handler labels latency and tokens by it. */
type CallPurpose = 'answer' | 'rewrite' | 'grounding';

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
 * One metered model call, always streamed so that a server that stops sending is noticed after
 * `idleTimeoutMs` whether or not the caller wants the text as it comes. Failures of the model
 * service, a stall or the overall deadline become `LLM_UNAVAILABLE` and count towards the circuit
 * breaker, which refuses calls at once while it is open. Anything else (a bug in how the call was
 * built) is rethrown as is; the caller's own abort is rethrown untouched.
 */
export async function callModel(
  models: LanguageModels,
  which: 'main' | 'fast',
  messages: BaseMessage[],
  call: ModelCall,
  scope: CallScope,
): Promise<AIMessageChunk> {
  const admitted = models.breaker.admit();
  if (admitted === 'refused') throw circuitOpenError(models, models.breaker.retryInMs);
  const model = models[which];
  const runnable = call.tools && call.tools.length > 0 ? model.bindTools(call.tools) : model;
  const watch = watchCall({ idleMs: models.idleTimeoutMs, deadlineMs: models.timeoutMs }, scope.signal);
  const options = { signal: watch.signal, callbacks: scope.callbacks, tags: [`purpose:${call.purpose}`] };
  const at = performance.now();
  let reply: AIMessageChunk | undefined;
  try {
    // stream() rather than invoke() with streaming on: the latter counts tokens with tiktoken,
    // which downloads its encoding on first use and hangs where there is no internet.
    let text = '';
    for await (const chunk of await runnable.stream(messages, options)) {
      watch.alive();
      reply = reply ? reply.concat(chunk) : chunk;
      if (call.onText && typeof chunk.content === 'string' && chunk.content.length > 0) {
        text += chunk.content;
        call.onText(text);
      }
    }
    if (!reply) throw new CairnError('LLM_UNAVAILABLE', `The language model at ${models.endpoint} sent an empty stream.`, { userMessage: 'The language model sent an empty reply.' });
  } catch (err) {
    scope.meter.countCall();
    if (scope.signal?.aborted) {
      models.breaker.abandoned(admitted);
      throw err;
    }
    const failure = watch.expired ? expiredError(watch.expired, models) : toLlmError(err, models);
    if (isCairnError(failure, 'LLM_UNAVAILABLE') && !isRequestError(err)) models.breaker.failed(admitted);
    else models.breaker.abandoned(admitted);
    throw failure;
  } finally {
    watch.dispose();
    scope.meter.addTime('llm', performance.now() - at);
  }
  models.breaker.succeeded();
  scope.meter.countCall(reply.usage_metadata);
  return reply;
}
