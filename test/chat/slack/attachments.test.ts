import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { IMAGES_NOTE } from '../../../src/chat/shared/attachments.js';
import { eventEnvelope, fileShareEvent, sendEvent } from '../../fakes/slack-server.js';
import { SECRET, sectionText, startHarness, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => h?.close());

const QUESTION = '<@UBOT> why does my deploy time out?';

async function share(files: Parameters<typeof fileShareEvent>[0]['files'], ts = '1700000100.000100'): Promise<string> {
  await sendEvent(h.url, SECRET, eventEnvelope(fileShareEvent({ channel: 'C1', user: 'U1', text: QUESTION, files, ts })));
  await h.fake.waitFor(() => h.fake.callsTo('chat.update').length > 0, 10_000, 'the answer');
  return h.fake.botMessages('C1').map(sectionText).join('\n');
}

describe('Slack: files shared with a question (file_share)', () => {
  it('downloads a text file with the bot token and gives its text, read by the ingest loaders, to the agent', async () => {
    h = await startHarness();
    const log = h.fake.addFile({ name: 'deploy.log', mimetype: 'text/plain', content: 'ERROR deploy: upstream timeout after 42s\n' });
    const notes = h.fake.addFile({ name: 'notes.md', mimetype: 'text/markdown', content: '---\ntitle: My notes\n---\nThe proxy drops idle sockets.\n' });
    const posted = await share([log, notes]);
    expect(h.answerer.requests[0]!.question).toBe('why does my deploy time out?');
    expect(h.answerer.requests[0]!.attachments).toEqual([
      { name: 'deploy.log', text: 'ERROR deploy: upstream timeout after 42s\n' },
      // The Markdown loader stripped the front matter, as it does for an indexed page.
      { name: 'notes.md', text: 'The proxy drops idle sockets.\n' },
    ]);
    expect(h.fake.downloads.map((d) => [d.token, d.status])).toEqual([['xoxb-test', 200], ['xoxb-test', 200]]);
    expect(posted).not.toContain("can't read");
  });

  it('says it cannot read an image, and answers from the text', async () => {
    h = await startHarness();
    const posted = await share([h.fake.addFile({ name: 'screenshot.png', mimetype: 'image/png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) })]);
    expect(posted).toContain(IMAGES_NOTE);
    expect(posted).toContain('Answer to: why does my deploy time out?');
    expect(h.answerer.requests[0]!.attachments).toBeUndefined();
    expect(h.fake.downloads, 'an image is never downloaded').toEqual([]);
  });

  it('refuses a 50 MB file by its declared size, naming the limit, without downloading it', async () => {
    h = await startHarness();
    const posted = await share([h.fake.addFile({ name: 'huge.log', mimetype: 'text/plain', size: 50 * 1024 * 1024 })]);
    expect(posted).toContain('huge.log is 50 MB, over my 5 MB limit for attachments');
    expect(h.fake.downloads).toEqual([]);
    expect(h.answerer.requests).toHaveLength(1);
  });

  it('stops a download whose Content-Length passes the cap when the event understated its size', async () => {
    h = await startHarness({ limits: { attachmentMaxBytes: 64 * 1024 } });
    const file = { ...h.fake.addFile({ name: 'grows.log', mimetype: 'text/plain', size: 8 * 1024 * 1024 }), size: 1000 };
    const posted = await share([file]);
    expect(posted).toContain('grows.log is 8 MB, over my 64 KB limit for attachments');
    await h.fake.waitFor(() => h.fake.downloads.length === 1, 2000, 'the download');
    expect(h.fake.downloads[0]!.bytesSent, 'the fake stopped sending once Cairn hung up').toBeLessThan(8 * 1024 * 1024);
  });

  it('never sends the bot token to a host other than Slack’s file host or SLACK_API_URL’s', async () => {
    h = await startHarness();
    let asked = 0;
    const elsewhere = createServer((_req, res) => {
      asked += 1;
      res.end('x');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/files-pri/T1-F1/notes.txt`;
      const file = { ...h.fake.addFile({ name: 'notes.txt', mimetype: 'text/plain', content: 'hi' }), url_private: url, url_private_download: url };
      const posted = await share([file]);
      expect(posted).toContain("I couldn't download notes.txt");
      expect(asked).toBe(0);
    } finally {
      elsewhere.closeAllConnections();
      await new Promise((r) => elsewhere.close(r));
    }
  });

  it('names a file type it does not read', async () => {
    h = await startHarness();
    const posted = await share([h.fake.addFile({ name: 'slides.pptx', mimetype: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', content: 'PK' })]);
    expect(posted).toContain("I can't read slides.pptx (application/vnd.openxmlformats-officedocument.presentationml.presentation)");
  });
});
