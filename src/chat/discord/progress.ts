import { ThrottledEditor } from '../shared/throttled-editor.js';

/**
 * Discord progress: the shared throttle (Discord rate-limits edits), the first update shown at once,
 * and no edit when the text would not change.
 */
export function progressEditor(show: (text: string) => Promise<unknown>, intervalMs: number, onError: (err: unknown) => void): ThrottledEditor<string> {
  let shown: string | null = null;
  return new ThrottledEditor<string>(
    async (text) => {
      if (text === shown) return;
      shown = text;
      await show(text);
    },
    intervalMs,
    onError,
    { immediateFirst: true },
  );
}
