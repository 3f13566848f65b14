import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import type { VotedExchange } from './types.js';

/**
 * 👎 answers as a corpus-free dataset (docs/evaluation.md, "Feedback datasets"): `queries.jsonl`
 * in the BEIR shape plus the thread, and `answers.jsonl` with the rejected answer and its
 * passages. There is no gold answer until someone adds `answer` (and `answerable`) by hand.
 */

const TurnSchema = z.object({ role: z.enum(['user', 'assistant']), text: z.string() });

export const FeedbackQueryRowSchema = z.object({
  _id: z.string().min(1),
  text: z.string(),
  metadata: z.object({
    /** The previous user turn, as BEIR-layout follow-ups carry it. */
    context: z.string().optional(),
    history: z.array(TurnSchema).default([]),
    platform: z.string(),
    channel: z.string(),
    at: z.string(),
    /** The groups the answer could draw on; absent for answers recorded before groups were kept. */
    access_groups: z.array(z.string()).optional(),
  }),
});

export const FeedbackContextSchema = z.object({
  n: z.number().int(),
  title: z.string(),
  source: z.string(),
  url: z.string().optional(),
  chunk_id: z.string(),
  text: z.string(),
  access_group: z.string().optional(),
});

export const FeedbackAnswerRowSchema = z.object({
  _id: z.string().min(1),
  kind: z.string().default('feedback'),
  rejected_answer: z.string(),
  contexts: z.array(FeedbackContextSchema).default([]),
  reasons: z.array(z.string()).default([]),
  votes: z.object({ up: z.number().int(), down: z.number().int() }),
  grounding: z.string().optional(),
  /** Added by a maintainer: the gold answer, which enables context precision and recall. */
  answer: z.string().optional(),
  answerable: z.boolean().optional(),
});

export type FeedbackQueryRow = z.infer<typeof FeedbackQueryRowSchema>;
export type FeedbackContext = z.infer<typeof FeedbackContextSchema>;
export type FeedbackAnswerRow = z.infer<typeof FeedbackAnswerRowSchema>;

export interface FeedbackCaseRows {
  query: FeedbackQueryRow;
  answer: FeedbackAnswerRow;
}

/** One 👎 exchange as dataset rows; its passages are the cited snippets until `withFullText` fills in full text. */
export function toCaseRows(e: VotedExchange): FeedbackCaseRows {
  const lastUser = [...e.history].reverse().find((t) => t.role === 'user');
  return {
    query: {
      _id: e.requestId,
      text: e.question,
      metadata: {
        ...(lastUser ? { context: lastUser.text } : {}), history: e.history, platform: e.platform, channel: e.channelId, at: e.at,
        ...(e.accessGroups ? { access_groups: e.accessGroups } : {}),
      },
    },
    answer: {
      _id: e.requestId,
      kind: 'feedback',
      rejected_answer: e.answer,
      contexts: e.citations.map((c) => ({
        n: c.n, title: c.title, source: c.source, ...(c.url ? { url: c.url } : {}), chunk_id: c.chunkId, text: c.snippet, ...(c.accessGroup ? { access_group: c.accessGroup } : {}),
      })),
      reasons: e.reasons,
      votes: { up: e.up, down: e.down },
      grounding: e.verdict,
    },
  };
}

/** Replaces each passage's snippet with the chunk's full text where `passages` has it. Returns how many were replaced. */
export function withFullText(rows: FeedbackCaseRows[], passages: ReadonlyMap<string, string>): number {
  let replaced = 0;
  for (const row of rows) {
    for (const ctx of row.answer.contexts) {
      const text = passages.get(ctx.chunk_id);
      if (text !== undefined) {
        ctx.text = text;
        replaced += 1;
      }
    }
  }
  return replaced;
}

export async function writeFeedbackDataset(dir: string, rows: readonly FeedbackCaseRows[]): Promise<{ queries: string; answers: string }> {
  await mkdir(dir, { recursive: true });
  const queries = path.join(dir, 'queries.jsonl');
  const answers = path.join(dir, 'answers.jsonl');
  await writeFile(queries, rows.map((r) => `${JSON.stringify(r.query)}\n`).join(''));
  await writeFile(answers, rows.map((r) => `${JSON.stringify(r.answer)}\n`).join(''));
  return { queries, answers };
}

/** Reads a feedback dataset back; every line is checked, and a question without its answers row is an error. */
export async function readFeedbackDataset(dir: string): Promise<FeedbackCaseRows[]> {
  const queries = await readRows(path.join(dir, 'queries.jsonl'), FeedbackQueryRowSchema);
  const answers = new Map((await readRows(path.join(dir, 'answers.jsonl'), FeedbackAnswerRowSchema)).map((a) => [a._id, a]));
  return queries.map((query) => {
    const answer = answers.get(query._id);
    if (!answer) throw new CairnError('INPUT', `${path.join(dir, 'answers.jsonl')} has no row for question ${query._id}.`);
    return { query, answer };
  });
}

async function readRows<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw new CairnError('INPUT', `${file} cannot be read: is this a feedback dataset written by \`cairn feedback export\`?`, { cause: err });
  });
  const rows: T[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CairnError('INPUT', `${file}:${i + 1} is not valid JSON.`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new CairnError('INPUT', `${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    rows.push(parsed.data);
  });
  return rows;
}
