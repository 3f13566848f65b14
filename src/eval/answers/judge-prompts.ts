import { promptSet } from '../../agent/index.js';

export const JUDGE_PROMPTS = ['judge-claims', 'judge-context-precision', 'judge-context-recall', 'judge-questions'] as const;
export type JudgePrompt = (typeof JUDGE_PROMPTS)[number];

const prompts = promptSet(JUDGE_PROMPTS);

/** Reads every judge prompt once, so a missing file fails before the first question is answered. */
export const loadJudgePrompts = prompts.loadAll;
/** Fills `{{name}}` placeholders; every placeholder must be given and every value used. */
export const renderJudgePrompt = prompts.render;
