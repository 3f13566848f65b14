import { promptSet } from './prompt-files.js';

export const PROMPT_NAMES = [
  'answer-system',
  'answer-user',
  'attached-files',
  'smalltalk-system',
  'rewrite-queries',
  'rewrite-english',
  'check-claims',
  'retry-feedback',
  'search-results',
] as const;

const prompts = promptSet(PROMPT_NAMES);

export const loadPrompt = prompts.load;
export const loadAllPrompts = prompts.loadAll;
export const renderPrompt = prompts.render;
