export { createAgent, type Agent, type CreateAgentParams } from './answer.js';
export { DEFAULT_AGENT_OPTIONS, type AgentOptions } from './graph/configuration.js';
export { threadKey } from './checkpointer.js';
export type { ArithmeticAnswerer } from './tools/toolset.js';
export { calculatorArithmetic } from './tools/calculator-arithmetic.js';
