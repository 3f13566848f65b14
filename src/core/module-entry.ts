import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * An entry module (worker or child process) that sits next to the module starting it. Built, it is a
 * `.js` file Node loads as is; from source (tests, `tsx`), it is a `.ts` file and Node needs tsx's loader,
 * which is only installed as a dev dependency — so it is looked up only in that case.
 */
export interface EntryModule {
  url: URL;
  typescript: boolean;
}

export function siblingEntry(callerUrl: string, baseName: string): EntryModule {
  const typescript = callerUrl.endsWith('.ts');
  return { url: new URL(`./${baseName}${typescript ? '.ts' : '.js'}`, callerUrl), typescript };
}

/** Node flags a child process needs to load the entry. */
export function loaderExecArgv(entry: EntryModule): string[] {
  if (!entry.typescript) return [];
  const requireHere = createRequire(import.meta.url);
  return ['--import', pathToFileURL(requireHere.resolve('tsx')).href];
}

/** Starts a worker thread on the entry. Node 20 ignores `--import` in a worker's execArgv, so a TypeScript
 * entry is reached through a small bootstrap that registers tsx inside the worker first. */
export function startWorker(entry: EntryModule, options: WorkerOptions = {}): Worker {
  if (!entry.typescript) return new Worker(entry.url, options);
  const tsxApi = tsxEsmApiUrl();
  // An eval'd worker gets a global `__dirname` of "."; usearch takes any `__dirname` for its own folder
  // and then searches upwards from "." for its binary forever. ES modules have no use for either global.
  // A rejection here is unhandled inside the worker, which surfaces as the worker's 'error' event.
  const bootstrap =
    'delete globalThis.__dirname; delete globalThis.__filename; ' +
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** tsx's ESM register API. `require.resolve` would pick its CommonJS build, which cannot register ESM hooks. */
function tsxEsmApiUrl(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const target = manifest.exports['./esm/api']?.import.default;
  if (target === undefined) throw new Error('tsx has no ./esm/api export; run from the built dist/ instead');
  return new URL(target, pathToFileURL(manifestPath)).href;
}
