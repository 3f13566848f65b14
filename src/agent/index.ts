// The agent's public face: everything outside src/agent imports from here (eslint enforces it),
// so the folders inside can be rearranged without touching the app, the CLI, the eval or feedback.

export { createAgent, type Agent } from './answer.js';
export { DEFAULT_AGENT_OPTIONS } from './graph/configuration.js';
export { calculatorArithmetic } from './tools/calculator-arithmetic.js';

// What the answer-quality eval and the fine-tuning export reuse to read and replay answers.
export { formatSources, type SourceRef } from './answering/citations.js';
export { NO_LLM } from './answering/replies.js';
export { citedNumbers, splitDraft, stripMarkers } from './answering/sentences.js';
export { contentText, parseJsonReply } from './answering/json-reply.js';
export { renderPrompt } from './prompts.js';
export { promptSet } from './prompt-files.js';
export { createLanguageModels } from './llm/llm.js';
export { toLlmError, type ModelEndpoint } from './llm/llm-errors.js';
