import type { App, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import { GAPS_DAYS, type StatusViewer } from '../../shared/admin.js';
import { toCairnError } from '../../../core/errors.js';
import { gapsText, sourcesText, statusText } from '../render/admin.js';
import { renderOutcome } from '../render/blocks.js';
import { ThrottledEditor } from '../../shared/throttled-editor.js';
import { commandConversation } from '../conversation.js';
import type { HandlerDeps } from './deps.js';
import { logError, newRef } from '../../shared/log-error.js';
import { parseAskText } from '../ask-text.js';
import { answerActions } from './answer-buttons.js';

/** A response_url takes five posts in 30 minutes; re-index progress keeps one for the final line. */
const MAX_PROGRESS_POSTS = 3;
const PROGRESS_LINES_SHOWN = 5;
const NOT_ENABLED = 'I am not enabled in this channel. Ask me in a direct message or in one of the channels I am set up for.';

/** /ask, /cairn-reindex, /cairn-sources, /cairn-status, /cairn-gaps. Each acks at once and works afterwards. */
export function registerCommands(app: App, deps: HandlerDeps): void {
  app.command('/ask', async ({ command, ack, respond }) => {
    const asked = parseAskText(command.text);
    const question = asked.question;
    if (!question) return ack(ephemeral('Ask a question after the command, e.g. `/ask how do I rotate the API key?` (or `/ask private …` for an answer only you see)'));
    // Knowing whether this is Cairn's own DM takes a Web API call: acknowledge first.
    await ack(ephemeral('Looking that up…'));
    deps.background('ask', () =>
      guarded(deps, command, respond, async () => {
        const where = await commandConversation(command, deps.ims, deps.config.allowedChannels);
        if (!where.allowed) return send(respond, ephemeral(NOT_ENABLED));
        const delivery = deps.chat.delivery({ userId: command.user_id, channelId: command.channel_id, botDm: where.botDm, private: asked.private });
        const outcome = await deps.chat.ask({
          platform: 'slack', channelId: command.channel_id, userId: command.user_id, userName: command.user_name, text: question, audience: delivery.audience, history: [],
        });
        if (outcome.kind === 'notice') return send(respond, ephemeral(outcome.text));
        const ephemeralAnswer = delivery.visibility === 'ephemeral';
        const responseType = ephemeralAnswer ? 'ephemeral' : 'in_channel';
        const actions = answerActions(deps, { botDm: where.botDm, ephemeral: ephemeralAnswer });
        for (const m of renderOutcome(outcome, { askedBy: { userId: command.user_id, question }, actions })) {
          await send(respond, { response_type: responseType, replace_original: false, text: m.text, blocks: m.blocks, unfurl_links: false });
        }
      }),
    );
  });

  app.command('/cairn-reindex', async ({ command, ack, respond }) => {
    if (!deps.config.adminUserIds.includes(command.user_id)) {
      return ack(ephemeral('Sorry — only Cairn admins can re-index. Ask one of them to run /cairn-reindex.'));
    }
    const source = command.text.trim() || undefined;
    const log = deps.logger.child({ command: command.command, user: command.user_id });
    let posts = 0;
    const lines: string[] = [];
    const progress = new ThrottledEditor<string>(
      async (text) => {
        if (posts >= MAX_PROGRESS_POSTS) return;
        posts += 1;
        await send(respond, ephemeral(text));
      },
      deps.reindexProgressIntervalMs,
      (err) => log.warn({ err: logError(err) }, 're-index progress post failed'),
    );
    const run = await deps.admin.reindex.start(source, (line) => {
      lines.push(line);
      progress.push(lines.slice(-PROGRESS_LINES_SHOWN).join('\n'));
    });
    if (!run.started) {
      await progress.close();
      return ack(ephemeral(run.message));
    }
    await ack(ephemeral(source ? `Re-indexing \`${source}\`… I will post progress here.` : 'Re-indexing everything… I will post progress here.'));
    deps.background('reindex', () =>
      guarded(deps, command, respond, async () => {
        try {
          const summary = await run.done;
          await progress.close();
          await send(respond, ephemeral(`Re-index done: ${summary}`));
        } catch (err) {
          await progress.close();
          const ref = newRef();
          const e = toCairnError(err);
          log.error({ err: logError(e), code: e.code, ref }, 're-index failed');
          await send(respond, ephemeral(`Re-index failed: ${e.userMessage} (ref ${ref})`));
        }
      }),
    );
  });

  app.command('/cairn-sources', async ({ command, ack, respond }) => {
    await ack();
    deps.background('sources', () =>
      guarded(deps, command, respond, async () => {
        const where = await commandConversation(command, deps.ims, deps.config.allowedChannels);
        const { groups } = deps.chat.delivery({ userId: command.user_id, channelId: command.channel_id, botDm: where.botDm });
        await send(respond, ephemeral(sourcesText(await deps.admin.index.sources(groups))));
      }),
    );
  });

  app.command('/cairn-gaps', async ({ command, ack, respond }) => {
    if (!deps.config.adminUserIds.includes(command.user_id)) {
      return ack(ephemeral('Sorry — only Cairn admins can see coverage gaps. Ask one of them to run /cairn-gaps.'));
    }
    await ack(ephemeral('Grouping the questions the docs did not answer…'));
    deps.background('gaps', () =>
      guarded(deps, command, respond, async () => {
        const where = await commandConversation(command, deps.ims, deps.config.allowedChannels);
        // Other people's questions: only those this conversation could have read everything behind.
        const audience = where.botDm ? { kind: 'person' as const, userId: command.user_id } : { kind: 'conversation' as const, channelId: command.channel_id };
        await send(respond, ephemeral(gapsText(await deps.admin.index.gaps(deps.chat.accessGroups(audience), GAPS_DAYS))));
      }),
    );
  });

  app.command('/cairn-status', async ({ command, ack, respond }) => {
    await ack();
    deps.background('status', () =>
      guarded(deps, command, respond, async () => {
        let viewer: StatusViewer = { admin: true };
        if (!deps.config.adminUserIds.includes(command.user_id)) {
          const where = await commandConversation(command, deps.ims, deps.config.allowedChannels);
          const { groups } = deps.chat.delivery({ userId: command.user_id, channelId: command.channel_id, botDm: where.botDm });
          viewer = { admin: false, groups, platform: 'slack', channelId: command.channel_id };
        }
        await send(respond, ephemeral(statusText(await deps.admin.index.status(viewer))));
      }),
    );
  });
}

function ephemeral(text: string): RespondArguments & { text: string } {
  return { response_type: 'ephemeral', text };
}

/** respond() resolves even when Slack refuses the post; a refusal is an error here. */
async function send(respond: RespondFn, message: RespondArguments): Promise<void> {
  const res = await respond(message);
  if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
}

/** Any failure ends in a short visible apology with a reference, and a log line with the same one. */
async function guarded(deps: HandlerDeps, command: SlashCommand, respond: RespondFn, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const ref = newRef();
    deps.logger.error({ err: logError(err), command: command.command, ref }, 'slash command failed');
    await send(respond, ephemeral(`Sorry — something went wrong with ${command.command}. (ref ${ref})`)).catch((e: unknown) => {
      deps.logger.error({ err: logError(e), ref }, 'could not tell the user about the failure');
    });
  }
}
