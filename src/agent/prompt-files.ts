import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CairnError } from '../core/errors.js';

/**
 * Prompt text lives in prompts/*.md at the package root. This file sits two levels below it both
 * as src/agent/prompt-files.ts (tsx, vitest) and as dist/agent/prompt-files.js, so one relative URL finds it.
 */
const PROMPTS_DIR = new URL('../../prompts/', import.meta.url);

export interface PromptSet<N extends string> {
  load(name: N): string;
  /** Reads every prompt once, so a missing file fails at start-up, not mid-answer. */
  loadAll(): void;
  /**
   * Fills `{{name}}` placeholders. Every placeholder must be given and every value used, so a
   * prompt edit and the code cannot drift apart silently. Values are inserted verbatim, once:
   * a value containing `{{…}}` is not expanded again.
   */
  render(name: N, values: Record<string, string>): string;
}

/** A named set of prompt files, read lazily and cached. */
export function promptSet<N extends string>(names: readonly N[]): PromptSet<N> {
  const cache = new Map<N, string>();
  const load = (name: N): string => {
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
  };
  return {
    load,
    loadAll: () => names.forEach((n) => load(n)),
    render(name, values) {
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
    },
  };
}
