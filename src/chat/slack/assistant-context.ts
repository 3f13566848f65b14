import type { AssistantConfig, webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import { renderGreeting } from './render/assistant.js';
import { BLOCK_ID } from './render/blocks.js';

type ContextStore = NonNullable<AssistantConfig['threadContextStore']>;
type StoreArgs = Parameters<ContextStore['get']>[0];
export type AssistantThreadContext = Awaited<ReturnType<ContextStore['get']>>;

/** The metadata type Bolt's own store uses, so either reads what the other wrote. */
export const CONTEXT_EVENT = 'assistant_thread_context';

interface GreetingMessage {
  ts?: string;
  user?: string;
  blocks?: { block_id?: string }[];
  metadata?: { event_type?: string; event_payload?: AssistantThreadContext };
}

/**
 * Which channel the user is viewing beside each assistant thread. Slack names it in the thread's
 * started and context-changed events but not in the messages, so it is kept where every replica can
 * read it: as metadata on Cairn's greeting, the thread's first message (Bolt's own approach).
 *
 * Bolt's DefaultThreadContextStore keeps the last context it saved in one field for every thread, so
 * one user's channel would be read in another's thread; this store only ever reads the thread's own.
 */
export class ThreadContextStore implements ContextStore {
  constructor(private readonly log: Logger) {}

  async get({ payload, client, context }: StoreArgs): Promise<AssistantThreadContext> {
    const greeting = await findGreeting(client, threadOf(payload), context.botUserId);
    return greeting?.metadata?.event_type === CONTEXT_EVENT ? (greeting.metadata.event_payload ?? {}) : {};
  }

  async save({ payload, client, context }: StoreArgs): Promise<void> {
    const where = threadOf(payload);
    const greeting = await findGreeting(client, where, context.botUserId);
    if (!greeting?.ts) {
      this.log.warn({ channel: where.channel, threadTs: where.threadTs }, 'no greeting in the assistant thread to keep its context on; answers there use the user’s own access groups');
      return;
    }
    await client.chat.update({
      channel: where.channel,
      ts: greeting.ts,
      ...renderGreeting(),
      metadata: contextMetadata(contextOf(payload)),
    });
  }
}

/** The metadata that carries a thread's context on its greeting. */
export function contextMetadata(context: AssistantThreadContext): { event_type: string; event_payload: Record<string, string> } {
  const payload: Record<string, string> = {};
  for (const [k, v] of Object.entries(context)) if (typeof v === 'string') payload[k] = v;
  return { event_type: CONTEXT_EVENT, event_payload: payload };
}

function threadOf(payload: StoreArgs['payload']): { channel: string; threadTs: string } {
  const p = payload as { channel?: string; thread_ts?: string; assistant_thread?: { channel_id?: string; thread_ts?: string } };
  return { channel: p.assistant_thread?.channel_id ?? p.channel ?? '', threadTs: p.assistant_thread?.thread_ts ?? p.thread_ts ?? '' };
}

function contextOf(payload: StoreArgs['payload']): AssistantThreadContext {
  return (payload as { assistant_thread?: { context?: AssistantThreadContext } }).assistant_thread?.context ?? {};
}

async function findGreeting(client: webApi.WebClient, where: { channel: string; threadTs: string }, botUserId: string | undefined): Promise<GreetingMessage | undefined> {
  const res = await client.conversations.replies({ channel: where.channel, ts: where.threadTs, include_all_metadata: true, limit: 10 });
  return ((res.messages ?? []) as GreetingMessage[]).find((m) => m.user === botUserId && (m.blocks ?? []).some((b) => b.block_id === BLOCK_ID.greeting));
}
