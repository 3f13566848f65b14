import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { toCairnError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { GAPS_DAYS, type StatusViewer } from '../../shared/admin.js';
import { COMMAND } from '../commands.js';
import { discordConversation } from '../conversation.js';
import { answerInto } from '../delivery.js';
import { progressEditor } from '../progress.js';
import { gapsMessages, sourcesMessages, statusMessages } from '../render/admin.js';
import { reindexText } from '../render/progress-text.js';
import { switchChannel } from './channel-command.js';
import type { HandlerDeps } from './deps.js';
import { answerActions } from './answer-buttons.js';
import { logError } from '../../shared/log-error.js';

export type CommandHandler = (i: ChatInputCommandInteraction, log: Logger) => Promise<void>;

const NOT_ADMIN = 'Sorry — only Cairn admins can re-index. Ask someone with a role listed in DISCORD_ADMIN_ROLE_IDS.';

/** /ask, /cairn-reindex, /cairn-sources, /cairn-status, /cairn-gaps and /cairn-channel, by command name. */
export function commandHandlers(deps: HandlerDeps): Record<string, CommandHandler> {
  return {
    [COMMAND.ask]: (i, log) => ask(deps, i, log),
    [COMMAND.reindex]: (i, log) => reindex(deps, i, log),
    [COMMAND.sources]: (i) => adminReport(i, async () => sourcesMessages(await deps.admin.index.sources(delivery(deps, i).groups))),
    [COMMAND.status]: (i) => {
      // Read the roles from this interaction before any await: the member object is shared and updated by later ones.
      const viewer: StatusViewer = hasAdminRole(i, deps.adminRoleIds)
        ? { admin: true }
        : { admin: false, groups: delivery(deps, i).groups, platform: 'discord', channelId: discordConversation(where(i)).accessChannelId };
      return adminReport(i, async () => statusMessages(await deps.admin.index.status(viewer), deps.gatewayStatus()));
    },
    [COMMAND.channel]: (i, log) => switchChannel(deps, i, hasAdminRole(i, deps.adminRoleIds), log),
    [COMMAND.gaps]: async (i) => {
      if (!hasAdminRole(i, deps.adminRoleIds)) {
        await i.reply({ content: 'Sorry — only Cairn admins can see coverage gaps. Ask someone with a role listed in DISCORD_ADMIN_ROLE_IDS.', flags: MessageFlags.Ephemeral });
        return;
      }
      // Other people's questions: only those this channel could have read everything behind.
      const groups = deps.chat.accessGroups({ kind: 'conversation', channelId: discordConversation(where(i)).accessChannelId });
      return adminReport(i, async () => gapsMessages(await deps.admin.index.gaps(groups, GAPS_DAYS)));
    },
  };
}

function where(i: ChatInputCommandInteraction) {
  return { channel: i.channel, channelId: i.channelId, userId: i.user.id, context: i.context };
}

/** What a command run here may draw on, and whether its answer is shared or for the invoker alone. */
function delivery(deps: HandlerDeps, i: ChatInputCommandInteraction, asked: { private?: boolean } = {}) {
  const conversation = discordConversation(where(i));
  return deps.chat.delivery({ userId: i.user.id, channelId: conversation.accessChannelId, botDm: conversation.botDm, ...asked });
}

async function ask(deps: HandlerDeps, i: ChatInputCommandInteraction, log: Logger): Promise<void> {
  const how = delivery(deps, i, { private: i.options.getBoolean('private') ?? false });
  const ephemeral = how.visibility === 'ephemeral';
  const actions = answerActions(deps, { botDm: discordConversation(where(i)).botDm, ephemeral });
  await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const question = i.options.getString('question', true);
  const outcome = await answerInto(
    { edit: (m) => i.editReply(m), send: (m) => i.followUp(ephemeral ? { ...m, flags: MessageFlags.Ephemeral } : m) },
    (onProgress) => deps.chat.ask({
      platform: 'discord', channelId: discordConversation(where(i)).accessChannelId, userId: i.user.id, userName: i.user.username,
      text: question, audience: how.audience, history: [],
    }, { onProgress }),
    { progressIntervalMs: deps.progressIntervalMs, quote: question, actions, onProgressError: (err) => log.warn({ err: logError(err) }, 'could not show progress') },
  );
  log.info({ requestId: outcome.requestId, outcome: outcome.kind }, '/ask answered');
}

async function reindex(deps: HandlerDeps, i: ChatInputCommandInteraction, log: Logger): Promise<void> {
  if (!hasAdminRole(i, deps.adminRoleIds)) {
    await i.reply({ content: NOT_ADMIN, flags: MessageFlags.Ephemeral });
    return;
  }
  await i.deferReply();
  const source = i.options.getString('source') ?? undefined;
  const lines: string[] = [];
  const progress = progressEditor((text) => i.editReply({ content: text }), deps.progressIntervalMs, (err) => log.warn({ err: logError(err) }, 'could not show re-index progress'));
  const run = await deps.admin.reindex.start(source, (line) => {
    lines.push(line);
    progress.push(reindexText(source, lines));
  });
  if (!run.started) {
    await progress.close();
    await i.editReply({ content: run.message });
    return;
  }
  progress.push(reindexText(source, lines));
  log.info({ source }, 're-index started');
  let end: { ok: boolean; text: string };
  try {
    end = { ok: true, text: await run.done };
  } catch (err) {
    const e = toCairnError(err);
    log.error({ err: logError(e), code: e.code }, 're-index failed');
    end = { ok: false, text: e.userMessage };
  }
  await progress.close();
  const done = end.ok ? `✅ Re-index done: ${end.text}` : `❌ Re-index failed: ${end.text}`;
  try {
    await i.editReply({ content: reindexText(source, lines, end) });
    // A new message, so whoever asked is notified when a long re-index ends.
    await i.followUp({ content: done });
  } catch (err) {
    // An interaction token lasts 15 minutes; a longer re-index reports in the channel instead.
    log.warn({ err: logError(err) }, 'could not report the re-index through the interaction; posting in the channel');
    if (!i.channel?.isSendable()) throw err;
    await i.channel.send({ content: done });
  }
}

async function adminReport(i: ChatInputCommandInteraction, report: () => Promise<string[]>): Promise<void> {
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const [first, ...rest] = await report();
  await i.editReply({ content: first! });
  for (const content of rest) await i.followUp({ content, flags: MessageFlags.Ephemeral });
}

function hasAdminRole(i: ChatInputCommandInteraction, adminRoleIds: string[]): boolean {
  const member = i.member;
  if (!member) return false;
  const roles = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return roles.some((r) => adminRoleIds.includes(r));
}
