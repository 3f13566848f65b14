import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CairnError } from '../../core/errors.js';

/** prompts/ sits three levels above both src/eval/answers/ and dist/eval/answers/. */
const PROMPTS_DIR = new URL('../../../prompts/', import.meta.url);

export const JUDGE_PROMPTS = ['judge-claims', 'judge-context-precision', 'judge-context-recall', 'judge-questions'] as const;
export type JudgePrompt = (typeof JUDGE_PROMPTS)[number];

const cache = new Map<JudgePrompt, string>();

function load(name: JudgePrompt): string {
  let text = cache.get(name);
  if (text === undefined) {
    const file = fileURLToPath(new URL(`${name}.md`, PROMPTS_DIR));
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new CairnError('CONFIG', `Prompt file ${file} is missing or unreadable; reinstall Cairn or restore prompts/.`, { cause: err });
    }
    cache.set(name, text);
  }
  return text;
}

/** Reads every judge prompt once, so a missing file fails before the first question is answered. */
export function loadJudgePrompts(): void {
  for (const name of JUDGE_PROMPTS) load(name);
}

/** Fills `{{name}}` placeholders; like the agent's prompts, every placeholder must be given and every value used. */
export function renderJudgePrompt(name: JudgePrompt, values: Record<string, string>): string {
  const used = new Set<string>();
  const text = load(name).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new CairnError('INTERNAL', `Prompt ${name} needs a value for {{${key}}}.`);
    used.add(key);
    return value;
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new CairnError('INTERNAL', `Prompt ${name} has no placeholder for ${unused.join(', ')}.`);
  return text;
}
