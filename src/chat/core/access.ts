import type { Config } from '../../config/config.js';

/**
 * Which access groups a conversation may cite. A channel gets its configured groups (else the
 * default group); a DM gets the asker's configured groups (else the default group). A channel's
 * answer never draws on a user's wider DM groups: everyone in the channel reads it.
 */
export function accessGroupsFor(
  access: Config['access'],
  defaultGroup: string,
  where: { channelId: string; userId: string; isDirect: boolean },
): string[] {
  const groups = where.isDirect ? access.users[where.userId] : access.channels[where.channelId];
  return groups && groups.length > 0 ? groups : [defaultGroup];
}
