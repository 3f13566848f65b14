import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import type { ProgressEvent } from '../../core/answer.js';
import { statusText, streamableDraft, WORKING_STATUS } from './render/assistant.js';
import type { SlackMessage } from './render/blocks.js';
import { PLACEHOLDER_TEXT } from './render/progress-text.js';
import { ThreadReply } from './thread-reply.js';
import { ThrottledEditor } from '../shared/throttled-editor.js';
import { logError } from '../shared/log-error.js';

/** An assistant thread: the user's DM with Cairn and the thread in it. */
export interface AssistantThread {
  channel: string;
  threadTs: string;
  /** Who asked: the stream's recipient. */
  userId: string;
  teamId?: string;
}

/** Well inside one message: the draft is replaced by the final answer anyway, which is split as usual. */
const MAX_STREAMED_CHARS = 10_000;

/**
 * One answer in an assistant thread (Slack's AI-app surface).
 *
 * While the agent works, the thread's status names the step (assistant.threads.setStatus). The agent
 * reports its draft as the language model writes it; each new stretch of the draft is appended to a
 * native stream (chat.startStream, then chat.appendStream through web-api's ChatStreamer), so the
 * text appears as it is written. The final, grounded answer then replaces the draft: the stream is
 * stopped and the message edited into today's blocks (citations, sources, 👍/👎). Nothing is streamed
 * that the agent does not have: without a model (extractive answers), or for a notice, there is no
 * draft and the answer is posted as it is. When the agent rewrites its draft (a retry after a failed
 * grounding check) the streamed text stops growing until the final answer replaces it.
 *
 * When Slack will not start a stream (the app lacks the feature or a scope, an older workspace), the
 * answer falls back, with a log line, to ThreadReply's placeholder-then-edit.
 */
export class StreamedReply {
  private readonly status: ThrottledEditor<string>;
  private readonly drafts: ThrottledEditor<string>;
  private streamer: webApi.ChatStreamer | null = null;
  private streamed = '';
  /** The draft stopped extending what was streamed, or an append failed: the final answer replaces it all. */
  private frozen = false;
  private fallback: ThreadReply | null = null;
  private shownStatus = '';

  constructor(
    private readonly client: webApi.WebClient,
    private readonly where: AssistantThread,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {
    const warn = (what: string) => (err: unknown) => this.log.warn({ err: logError(err) }, what);
    this.status = new ThrottledEditor<string>((line) => this.setStatus(line), intervalMs, warn('setting the assistant thread status failed'));
    // The first words go out at once; later ones at most once per interval, which keeps appendStream inside its rate limit.
    this.drafts = new ThrottledEditor<string>((draft) => this.stream(draft), intervalMs, warn('streaming the draft failed'), { immediateFirst: true });
  }

  /** Shows "Searching the docs…" under the thread: the first visible sign of work. */
  async start(): Promise<void> {
    await this.setStatus(PLACEHOLDER_TEXT).catch((err: unknown) => this.log.warn({ err: logError(err) }, 'setting the assistant thread status failed'));
  }

  progress(event: ProgressEvent): void {
    if (this.fallback) return this.fallback.progress(event);
    if (event.kind === 'status') this.status.push(statusText(event));
    else this.drafts.push(event.text);
  }

  /** Replaces the streamed draft with the first message (or posts it) and posts the rest below it. */
  async finish(messages: SlackMessage[]): Promise<void> {
    await Promise.all([this.status.close(), this.drafts.close()]);
    if (this.fallback) return this.fallback.finish(messages);
    const [first, ...rest] = messages;
    if (!first) return;
    const streamer = this.streamer;
    this.streamer = null;
    let shown = false;
    if (streamer?.ts) {
      // A stream Slack already ended (it lives about five minutes) cannot be stopped, but can still be edited.
      await streamer.stop().catch((err: unknown) => this.log.warn({ err: logError(err) }, 'stopping the stream failed; replacing the draft anyway'));
      try {
        await this.client.chat.update({ channel: this.where.channel, ts: streamer.ts, text: first.text, blocks: first.blocks });
        shown = true;
      } catch (err) {
        this.log.warn({ err: logError(err) }, 'replacing the streamed draft failed; posting the answer instead');
      }
    }
    if (!shown) await this.post(first);
    for (const m of rest) await this.post(m);
    // A new message clears the status by itself; an edit does not.
    if (shown) await this.setStatus('').catch((err: unknown) => this.log.debug({ err: logError(err) }, 'clearing the assistant thread status failed'));
  }

  private async stream(draft: string): Promise<void> {
    if (this.frozen || this.fallback) return;
    const text = streamableDraft(draft).slice(0, MAX_STREAMED_CHARS);
    if (!text.startsWith(this.streamed)) {
      this.frozen = true;
      return;
    }
    const delta = text.slice(this.streamed.length);
    if (!delta) return;
    // buffer_size 1: every throttled push is sent; the throttle, not the buffer, paces the calls.
    const streamer = (this.streamer ??= this.client.chatStream({
      channel: this.where.channel,
      thread_ts: this.where.threadTs,
      recipient_user_id: this.where.userId,
      ...(this.where.teamId ? { recipient_team_id: this.where.teamId } : {}),
      buffer_size: 1,
    }));
    try {
      await streamer.append({ markdown_text: delta });
      this.streamed = text;
    } catch (err) {
      if (streamer.ts) {
        this.frozen = true;
        this.log.warn({ err: logError(err) }, 'appending to the stream failed; the final answer will replace what was streamed');
        return;
      }
      this.streamer = null;
      this.log.warn({ err: logError(err) }, 'Slack would not start a stream (chat.startStream); answering with a placeholder that is edited instead');
      await this.fallBack(draft);
    }
  }

  private async fallBack(draft: string): Promise<void> {
    const reply = new ThreadReply(this.client, { channel: this.where.channel, threadTs: this.where.threadTs }, this.intervalMs, this.log);
    this.fallback = reply;
    // finish() posts the answer anew when there is no placeholder.
    await reply.start().catch((err: unknown) => this.log.warn({ err: logError(err) }, 'posting the placeholder failed'));
    reply.progress({ kind: 'draft', text: draft });
  }

  private async setStatus(line: string): Promise<void> {
    if (line === this.shownStatus) return;
    await this.client.assistant.threads.setStatus({
      channel_id: this.where.channel,
      thread_ts: this.where.threadTs,
      status: line ? WORKING_STATUS : '',
      ...(line ? { loading_messages: [line] } : {}),
    });
    this.shownStatus = line;
  }

  private async post(m: SlackMessage): Promise<void> {
    await this.client.chat.postMessage({
      channel: this.where.channel,
      thread_ts: this.where.threadTs,
      text: m.text,
      blocks: m.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
  }
}
