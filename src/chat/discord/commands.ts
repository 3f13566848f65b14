import { ApplicationCommandOptionType, InteractionContextType, Routes, type Client, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export const COMMAND = {
  ask: 'ask',
  reindex: 'cairn-reindex',
  sources: 'cairn-sources',
  status: 'cairn-status',
  gaps: 'cairn-gaps',
  channel: 'cairn-channel',
} as const;

const EVERYWHERE = [InteractionContextType.Guild, InteractionContextType.BotDM];

/** The slash commands Cairn registers for its application (replacing any earlier set). */
export const COMMAND_DEFINITIONS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    name: COMMAND.ask,
    description: 'Ask Cairn a question about the docs',
    contexts: EVERYWHERE,
    options: [
      { type: ApplicationCommandOptionType.String, name: 'question', description: 'What you want to know', required: true },
      { type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Only you see the answer (you can share it after)', required: false },
    ],
  },
  {
    name: COMMAND.reindex,
    description: 'Sync every source, or one (admins only)',
    // Roles exist only in a server, so admins can only be recognised there.
    contexts: [InteractionContextType.Guild],
    options: [{ type: ApplicationCommandOptionType.String, name: 'source', description: 'Only this source: its id in the sources file', required: false }],
  },
  { name: COMMAND.sources, description: 'Show the sources, their last sync, and the indexed documents', contexts: EVERYWHERE },
  { name: COMMAND.status, description: "Show Cairn's index, models and recent errors", contexts: EVERYWHERE },
  { name: COMMAND.gaps, description: 'Show the topics the docs did not answer well (admins only)', contexts: [InteractionContextType.Guild] },
  {
    name: COMMAND.channel,
    description: "Switch answering every new post in this post's forum on or off (admins only)",
    contexts: [InteractionContextType.Guild],
    options: [{
      type: ApplicationCommandOptionType.String, name: 'auto', description: 'on or off; leave out to see the current state', required: false,
      choices: [{ name: 'on', value: 'on' }, { name: 'off', value: 'off' }],
    }],
  },
];

/** Registers the slash commands for the application (PUT replaces the whole set) and returns how many. */
export async function registerCommands(client: Client<true>, applicationId?: string): Promise<number> {
  const id = applicationId ?? client.application.id;
  await client.rest.put(Routes.applicationCommands(id), { body: COMMAND_DEFINITIONS });
  return COMMAND_DEFINITIONS.length;
}
