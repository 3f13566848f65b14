import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IMAGES_NOTE } from '../../../src/chat/shared/attachments.js';
import type { FakeFile } from '../../fakes/discord-server.js';
import { ALICE, CHANNEL_A, reply, startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => {
  h.answer = async (req) => reply(`You asked: ${req.question} [1]`);
});
afterAll(async () => {
  await h?.close();
});

/** Mentions the bot with files attached and returns the final answer's text. */
async function askWith(files: FakeFile[]): Promise<string> {
  const asked = h.fake.say(CHANNEL_A, `<@${h.fake.botUser.id}> why does my deploy time out?`, ALICE, files);
  const answer = await h.fake.until(() => h.botMessages(asked.id).find((m) => m.components.length > 0 || /Sorry/.test(m.content)));
  return answer.content as string;
}

describe('Discord: attachments on a question', () => {
  it('downloads a text attachment from its URL and gives its text to the agent', async () => {
    const before = h.fake.downloads.length;
    await askWith([{ name: 'deploy.log', contentType: 'text/plain; charset=utf-8', content: 'ERROR deploy: upstream timeout after 42s\n' }]);
    expect(h.requests.at(-1)!.attachments).toEqual([{ name: 'deploy.log', text: 'ERROR deploy: upstream timeout after 42s\n' }]);
    expect(h.fake.downloads.length - before).toBe(1);
  });

  it('says it cannot read an image, and answers from the text', async () => {
    const content = await askWith([{ name: 'screen.png', contentType: 'image/png', content: Buffer.from([0x89, 0x50]) }]);
    expect(content).toContain(IMAGES_NOTE);
    expect(content).toContain('You asked: why does my deploy time out?');
    expect(h.requests.at(-1)!.attachments).toBeUndefined();
  });

  it('refuses a 50 MB attachment by its declared size, naming the limit, without downloading it', async () => {
    const before = h.fake.downloads.length;
    const content = await askWith([{ name: 'huge.csv', contentType: 'text/csv', size: 50 * 1024 * 1024 }]);
    expect(content).toContain('huge.csv is 50 MB, over my 5 MB limit for attachments');
    expect(h.fake.downloads.length).toBe(before);
  });
});
