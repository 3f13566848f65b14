import { readFile, rename, writeFile } from 'node:fs/promises';

/**
 * Sets variables in an env file (`KEY=value` lines, as `node --env-file` and docker compose read
 * them): a line that sets a key is replaced where it stands, a missing key is appended, and every
 * other line, comments included, is kept as it was. Written through a temporary file, so a crash
 * never leaves half a file.
 */
export async function setEnvVariables(file: string, values: Record<string, string>): Promise<void> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const pending = new Map(Object.entries(values));
  const out = lines.map((line) => {
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (key === undefined || !pending.has(key)) return line;
    const value = pending.get(key)!;
    pending.delete(key);
    return `${key}=${value}`;
  });
  for (const [key, value] of pending) out.push(`${key}=${value}`);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${out.join('\n')}\n`);
  await rename(tmp, file);
}
