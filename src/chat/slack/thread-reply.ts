import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import type { ProgressEvent } from '../../core/answer.js';
import { renderProgress, type SlackMessage } from './render/blocks.js';
import { PLACEHOLDER_TEXT, progressText } from './render/progress-text.js';
import { ThrottledEditor } from '../shared/throttled-editor.js';
import { logError } from '../shared/log-error.js';

/**
 * One reply to one question. The placeholder is posted once and then edited — with progress and
 * finally with the answer — so a Web API retry can never make the answer appear twice. Only when
 * the final edit fails is the answer posted, once, as a new message.
 */
export class ThreadReply {
  private placeholderTs: string | null = null;
  private editor: ThrottledEditor<ProgressEvent> | null = null;
  private shownText = PLACEHOLDER_TEXT;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly where: { channel: string; threadTs: string | undefined },
    private readonly progressIntervalMs: number,
    private readonly log: Logger,
  ) {}

  /** Posts "Searching the docs…": the first visible sign of work. */
  async start(): Promise<void> {
    const res = await this.post(renderProgress(PLACEHOLDER_TEXT));
    this.placeholderTs = res;
    this.editor = new ThrottledEditor<ProgressEvent>(
      async (event) => {
        const text = progressText(event);
        if (text === this.shownText) return;
        this.shownText = text;
        await this.update(res, renderProgress(text));
      },
      this.progressIntervalMs,
      (err) => this.log.warn({ err: logError(err) }, 'progress edit failed'),
    );
  }

  progress(event: ProgressEvent): void {
    this.editor?.push(event);
  }

  /** Replaces the placeholder with the first message and posts the rest below it. */
  async finish(messages: SlackMessage[]): Promise<void> {
    await this.editor?.close();
    const [first, ...rest] = messages;
    if (!first) return;
    const placeholder = this.placeholderTs;
    // Whatever happens next, the placeholder is used up: a later finish() (an apology) posts anew.
    this.placeholderTs = null;
    let shown = false;
    if (placeholder) {
      try {
        await this.update(placeholder, first);
        shown = true;
      } catch (err) {
        this.log.warn({ err: logError(err) }, 'editing the placeholder failed; posting the reply instead');
      }
    }
    if (!shown) await this.post(first);
    for (const m of rest) await this.post(m);
  }

  private async post(m: SlackMessage): Promise<string> {
    const res = await this.client.chat.postMessage({
      channel: this.where.channel,
      ...(this.where.threadTs ? { thread_ts: this.where.threadTs } : {}),
      text: m.text,
      blocks: m.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!res.ts) throw new Error('chat.postMessage returned no ts');
    return res.ts;
  }

  private async update(ts: string, m: SlackMessage): Promise<void> {
    await this.client.chat.update({ channel: this.where.channel, ts, text: m.text, blocks: m.blocks });
  }
}
