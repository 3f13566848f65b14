export { createDiscordAdapter, type DiscordAdapterOptions, type DiscordConfig } from './adapter.js';
export { COMMAND, COMMAND_DEFINITIONS } from './commands.js';
