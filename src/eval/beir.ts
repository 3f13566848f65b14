import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { CairnError } from '../core/errors.js';
import type { Qrels } from './metrics.js';

interface BeirQuery { id: string; text: string; context?: string }
interface BeirAnswer { id: string; answer: string; answerable: boolean; kind: string; evidence?: string; evidenceDoc?: string }

export interface BeirDataset {
  dir: string;
  name: string;
  corpusPath: string;
  queries: BeirQuery[];
  qrels: Qrels;
  answers: Map<string, BeirAnswer>;
}

/** Reads a set in the BEIR layout (corpus.jsonl, queries.jsonl, qrels/test.tsv, optional answers.jsonl). */
export async function loadBeirDataset(dir: string): Promise<BeirDataset> {
  const corpusPath = path.join(dir, 'corpus.jsonl');
  for (const f of [corpusPath, path.join(dir, 'queries.jsonl'), path.join(dir, 'qrels', 'test.tsv')]) {
    await access(f).catch(() => {
      throw new CairnError('INPUT', `${dir} is not a BEIR dataset: ${path.relative(dir, f)} is missing (expected corpus.jsonl, queries.jsonl, qrels/test.tsv).`);
    });
  }
  const { queries, qrels } = await readJudgedQueries(dir);
  const answers = new Map<string, BeirAnswer>();
  const answersPath = path.join(dir, 'answers.jsonl');
  if (await access(answersPath).then(() => true, () => false)) {
    for await (const row of readJsonl(answersPath)) {
      answers.set(String(row._id), {
        id: String(row._id),
        answer: String(row.answer ?? ''),
        answerable: row.answerable !== false,
        kind: String(row.kind ?? ''),
        ...(typeof row.evidence === 'string' ? { evidence: row.evidence } : {}),
        ...(typeof row.evidence_doc === 'string' ? { evidenceDoc: row.evidence_doc } : {}),
      });
    }
  }
  return { dir, name: path.basename(path.resolve(dir)), corpusPath, queries, qrels, answers };
}

/**
 * `queries.jsonl` and `qrels/test.tsv` alone: what a retrieval sweep needs. A folder written by
 * `cairn feedback export` has the queries; the qrels are the documents a maintainer says should
 * have been found.
 */
export async function loadJudgedQueries(dir: string): Promise<Pick<BeirDataset, 'queries' | 'qrels'>> {
  for (const f of ['queries.jsonl', path.join('qrels', 'test.tsv')]) {
    await access(path.join(dir, f)).catch(() => {
      throw new CairnError('INPUT', `${dir} has no ${f}: label the questions first, one "query-id<TAB>document source<TAB>1" line per document that should be found (docs/retrieval.md, "Tuning fusion").`);
    });
  }
  return readJudgedQueries(dir);
}

async function readJudgedQueries(dir: string): Promise<Pick<BeirDataset, 'queries' | 'qrels'>> {
  const queries: BeirQuery[] = [];
  for await (const row of readJsonl(path.join(dir, 'queries.jsonl'))) {
    const context = (row.metadata as { context?: unknown } | undefined)?.context;
    // Only `text` goes to the system: SciFact's metadata holds the evidence labels.
    queries.push({ id: String(row._id), text: String(row.text), ...(typeof context === 'string' ? { context } : {}) });
  }
  const qrels: Qrels = new Map();
  const tsv = await readFile(path.join(dir, 'qrels', 'test.tsv'), 'utf8');
  for (const line of tsv.split(/\r?\n/).slice(1)) {
    const [qid, did, score] = line.split('\t');
    if (!qid || !did || score === undefined) continue;
    if (!qrels.has(qid)) qrels.set(qid, new Map());
    qrels.get(qid)!.set(did, Number(score));
  }
  return { queries, qrels };
}

async function* readJsonl(file: string): AsyncGenerator<Record<string, unknown>> {
  const lines = readline.createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new CairnError('INPUT', `${file}:${n} is not valid JSON.`);
    }
  }
}
