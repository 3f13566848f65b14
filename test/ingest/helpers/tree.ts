import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { DiscoveredFile } from '../../../src/ingest/discover.js';
import { formatOf } from '../../../src/ingest/formats.js';
import type { IngestOptions } from '../../../src/ingest/pipeline.js';
import type { IngestFailure } from '../../../src/ingest/failures.js';
import type { IngestPhase, IngestProgress } from '../../../src/ingest/progress.js';

/** A scratch directory; `write` takes paths relative to it. */
export async function scratch(): Promise<{ dir: string; write: (files: Record<string, string | Uint8Array>) => Promise<void>; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cairn-ingest-'));
  return {
    dir,
    write: async (files) => {
      for (const [rel, content] of Object.entries(files)) {
        const abs = path.join(dir, rel);
        await mkdir(path.dirname(abs), { recursive: true });
        await writeFile(abs, content);
      }
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export const silentLogger = pino({ level: 'silent' });

/** Records what the pipeline reported, to assert on. */
export class RecordingProgress implements IngestProgress {
  readonly failures: IngestFailure[] = [];
  readonly phases: Array<{ phase: IngestPhase; total: number }> = [];
  readonly last = new Map<IngestPhase, number>();
  finished = 0;

  start(phase: IngestPhase, total: number): void {
    this.phases.push({ phase, total });
  }

  update(phase: IngestPhase, done: number): void {
    this.last.set(phase, done);
  }

  failed(failure: IngestFailure): void {
    this.failures.push(failure);
  }

  finish(): void {
    this.finished++;
  }
}

export function options(cwd: string, paths: string[], extra: Partial<IngestOptions> = {}): IngestOptions {
  return { paths, cwd, defaultAccessGroup: 'public', publicAccessGroups: ['public'], chunkSize: 400, chunkOverlap: 60, maxFileBytes: 1024 * 1024, ...extra };
}

/** A fixture under test/fixtures/ingest as discovery would hand it to a loader. */
export function fixture(rel: string): DiscoveredFile {
  const absPath = fileURLToPath(new URL(`../../fixtures/ingest/${rel}`, import.meta.url));
  return { absPath, source: `fixtures/${rel}`, format: formatOf(absPath)! };
}

export const LOAD = { chunking: { chunkSize: 400, chunkOverlap: 60 }, maxFileBytes: 1024 * 1024 };
