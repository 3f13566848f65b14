import { describe, expect, it } from 'vitest';
import { piecesOf, renderBlock, splitBlocks } from '../../../src/agent/answering/pieces.js';

const DOC = [
  '## Options',
  '',
  'The receiver takes these options:',
  '- `port`: where it listens.',
  '- `path`: defaults to `/slack/events`.',
  '',
  '| Method | Returns |',
  '| --- | --- |',
  '| `init()` | `unknown` |',
  '| `start()` | `Promise` |',
  '',
  ':::tip[Call ack() within 3 seconds.]',
  '',
  ':::',
  '',
  '![diagram](/img/flow.png)',
  '',
  'Start it like this:',
  '',
  '```js',
  'await app.start();',
  '',
  '// still the same block',
].join('\n');

describe('pieces: a passage cut into what an extractive answer may quote', () => {
  const blocks = splitBlocks(DOC);

  it('keeps a list whole with its lead-in, under the heading above it', () => {
    const list = blocks.find((b) => b.kind === 'list')!;
    expect(list.heading).toBe('Options');
    expect(renderBlock(list, [0])).toBe('The receiver takes these options:\n- `port`: where it listens.\n- `path`: defaults to `/slack/events`.');
  });

  it('quotes a table row under the table header', () => {
    const table = blocks.find((b) => b.kind === 'table')!;
    expect(renderBlock(table, [1])).toBe('| Method | Returns |\n| --- | --- |\n| `start()` | `Promise` |');
    expect(renderBlock(table, [1, 0])).toBe('| Method | Returns |\n| --- | --- |\n| `init()` | `unknown` |\n| `start()` | `Promise` |');
  });

  it('keeps a code block whole and closes one the chunk cut off', () => {
    const code = blocks.find((b) => b.kind === 'code')!;
    expect(code.lead).toBe('Start it like this:');
    expect(renderBlock(code, [0])).toBe('Start it like this:\n\n```js\nawait app.start();\n\n// still the same block\n```');
  });

  it('takes an emphasised label ending in a colon as the lead-in, so old code is quoted as old', () => {
    const [label, code] = splitBlocks('**Before (v4):**\n\n```ts\nnew App({ agent });\n```\n');
    expect(label!.units).toEqual(['**Before (v4):**']);
    expect(code!.lead).toBe('**Before (v4):**');
    expect(renderBlock(code!, [0])).toBe('**Before (v4):**\n\n```ts\nnew App({ agent });\n```');
    // A label alone is not a piece: it is quoted with its code block.
    expect(piecesOf([label!, code!]).map((p) => p.block)).toEqual([1]);
  });

  it('keeps an admonition title as text and drops its fences and images', () => {
    const paragraphs = blocks.filter((b) => b.kind === 'paragraph').flatMap((b) => b.units);
    expect(paragraphs).toContain('Call ack() within 3 seconds.');
    expect(DOC.match(/:::|!\[/g)).toBeTruthy();
    expect(paragraphs.join(' ')).not.toMatch(/:::|!\[/);
  });

  it('takes a sentence that leans on the one before along with it, and a short one with the next', () => {
    const [para] = splitBlocks(
      'Bolt acknowledges nothing for you, so every listener you register has to call ack() itself, before it does anything slow. ' +
        'This lets Slack know that the request arrived in time, and it stops Slack from retrying the same delivery three more times. ' +
        'In short: ack early. Then do the slow work, such as database lookups, after the acknowledgement has gone out to Slack.',
    );
    const pieces = piecesOf([para!]);
    expect(pieces.map((p) => p.units)).toEqual([[0, 1], [0, 1], [2, 3], [2, 3]]);
  });

  it('quotes nothing of a code block the passage began inside of, and keeps what follows it', () => {
    const tail = ['    await ack();', '  }', '});', '```', '', 'Listeners must call `ack()` within three seconds.', '', '```js', "app.command('/ticket', handler);", '```'].join('\n');
    const blocks = splitBlocks(tail);
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'code']);
    expect(blocks[0]!.units).toEqual(['Listeners must call `ack()` within three seconds.']);
    expect(renderBlock(blocks[1]!, [0])).toBe("```js\napp.command('/ticket', handler);\n```");
  });

  it('quotes nothing of a passage that is all code cut from the middle of a block', () => {
    const middle = ['try {', '  // Call views.open with the built-in client', '  const result = await client.views.open({', '    trigger_id: body.trigger_id,', '    view: {'].join('\n');
    expect(splitBlocks(middle)).toEqual([]);
  });

  it('still reads a bare fence after a lead-in as opening a block the passage cuts off', () => {
    const blocks = splitBlocks('Install it with:\n\n```\nnpm install @slack/bolt');
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'code']);
    expect(renderBlock(blocks[1]!, [0])).toBe('Install it with:\n\n```\nnpm install @slack/bolt\n```');
  });

  it('does not take a list whose items end in commas for code', () => {
    const list = splitBlocks('- `token`, the bot token,\n- `signingSecret`, from the app page,\n- `port`, where it listens;');
    expect(list.map((b) => b.kind)).toEqual(['list']);
  });
});
