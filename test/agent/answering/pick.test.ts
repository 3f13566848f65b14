import { describe, expect, it } from 'vitest';
import { pickPieces, scorePieces } from '../../../src/agent/answering/pick.js';
import { chunk } from '../helpers.js';

const hit = (id: string, text: string, score: number) => ({ chunk: chunk(`${id}.md`, id, text), score });

describe('picking the pieces to quote', () => {
  it('quotes the second part of a two-part question rather than a third take on the first', () => {
    const question = 'Which Node version does Bolt 4 need, and how do I use directMention now?';
    const hits = [
      hit('v4', 'Bolt 4 requires a minimum Node version of 18.', 1),
      hit('v3', 'Bolt 3 requires a minimum Node version of 12.', 0.9),
      hit('v5', 'Bolt 5 requires a minimum Node version of 20.', 0.85),
      hit('middleware', 'Since Bolt 4 you use directMention as it is, without calling it.', 0.6),
    ];
    const picked = pickPieces(scorePieces(question, hits), 3, 700);
    expect(picked.map((p) => hits[p.hit]!.chunk.docId)).toContain('middleware.md');
    expect(picked[0]!.text).toBe('Bolt 4 requires a minimum Node version of 18.');
  });

  it('keeps to one piece per passage and to the length budget', () => {
    const long = 'Socket Mode connects over a WebSocket. '.repeat(8).trim();
    const hits = [hit('a', `${long} Socket Mode needs an app token.`, 1), hit('b', 'Set socketMode to true to use Socket Mode.', 0.9)];
    const picked = pickPieces(scorePieces('How do I turn on Socket Mode?', hits), 3, 200);
    expect(new Set(picked.map((p) => p.hit)).size).toBe(picked.length);
    expect(picked.reduce((n, p) => n + p.text.length, 0)).toBeLessThanOrEqual(200);
  });

  it('prefers a piece that names the API element the question asks for', () => {
    const question = 'What error does Bolt throw if I call ack twice?';
    const hits = [
      hit('plain', 'If you call ack twice, Bolt will throw an error from the receiver.', 1),
      hit('named', 'If you call ack twice, Bolt will throw the `ReceiverMultipleAckError` error.', 0.9),
      hit('other', 'Listeners run in the order they were registered.', 0),
    ];
    const [best] = scorePieces(question, hits);
    expect(hits[best!.hit]!.chunk.docId).toBe('named.md');
  });

  it('prefers a sentence whose passage is about the question to the same sentence elsewhere', () => {
    const question = 'How do I add a custom route to the receiver?';
    const sentence = 'You can add a custom route when you create the app, with the path and the handler it calls.';
    const hits = [
      hit('installs', `Tokens are stored once per workspace installation. ${sentence}`, 1),
      hit('server', `Custom routes are served by the receiver's own HTTP server. ${sentence}`, 0.9),
      hit('other', 'Listeners run in the order they were registered.', 0),
    ];
    const best = scorePieces(question, hits).find((c) => c.text === sentence);
    expect(hits[best!.hit]!.chunk.docId).toBe('server.md');
  });
});
