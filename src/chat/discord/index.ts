export { createDiscordAdapter, type DiscordAdapter, type DiscordAdapterDeps } from './adapter.js';
export { COMMAND, COMMAND_DEFINITIONS } from './commands.js';
