/**
 * The one access rule: a passage may reach a person only if every person who can see the reply may
 * read it. Every surface (replies, citations, sources, thread memory, tool arguments, exports,
 * status) asks this module which groups an audience may read; none decides it on its own.
 */

export interface AccessPolicy {
  /** Channel (or thread parent, forum) id → groups everyone in it may read. */
  channels: Record<string, string[]>;
  /** User id → groups that user may read when Cairn answers them alone (a DM with the bot, an ephemeral reply). */
  users: Record<string, string[]>;
  /** What anyone may read: unmapped channels, users without their own groups, DMs between people. */
  publicGroups: string[];
}

/**
 * Who will see a reply.
 * - `person`: one user alone (a DM with the bot, an ephemeral answer). `channelId` is where they
 *   asked: being in that conversation they may read what it may read.
 * - `conversation`: everyone in a channel, thread, group DM, forum post or a DM between people.
 *   `channelId` is the one whose mapping decides (a thread's parent channel).
 * - `viewer`: one user alone, beside a conversation they are looking at (Slack's assistant panel,
 *   whose context names the channel in view). The answer stays within both: what the viewed
 *   conversation may read, never more than the user may read alone. No channel in view: their own.
 */
export type Audience =
  | { kind: 'person'; userId: string; channelId?: string }
  | { kind: 'conversation'; channelId: string }
  | { kind: 'viewer'; userId: string; viewingChannelId?: string };

function mapped(map: Record<string, string[]>, id: string | undefined): string[] | undefined {
  const groups = id === undefined ? undefined : map[id];
  return groups && groups.length > 0 ? groups : undefined;
}

/** The groups every member of the audience may read, deduplicated. */
export function readableGroups(policy: AccessPolicy, audience: Audience): string[] {
  if (audience.kind === 'viewer') {
    const own = readableGroups(policy, { kind: 'person', userId: audience.userId });
    if (audience.viewingChannelId === undefined) return own;
    const viewed = readableGroups(policy, { kind: 'conversation', channelId: audience.viewingChannelId });
    return own.filter((g) => viewed.includes(g));
  }
  const groups =
    audience.kind === 'conversation'
      ? (mapped(policy.channels, audience.channelId) ?? policy.publicGroups)
      : [...(mapped(policy.users, audience.userId) ?? policy.publicGroups), ...(mapped(policy.channels, audience.channelId) ?? [])];
  return [...new Set(groups)];
}

/** Whether an audience that may read `readable` may read every group in `groups` (what a source's error may name). */
export function readsEvery(readable: readonly string[], groups: Iterable<string>): boolean {
  for (const g of groups) if (!readable.includes(g)) return false;
  return true;
}

/** Whether every group in `groups` is one anyone may read. */
export function onlyPublic(policy: Pick<AccessPolicy, 'publicGroups'>, groups: readonly string[]): boolean {
  return groups.every((g) => policy.publicGroups.includes(g));
}

/** Where an answer is shown and which groups it may draw on. */
export interface Delivery {
  audience: Audience;
  groups: string[];
  /** `ephemeral`: only the asker sees it. */
  visibility: 'shared' | 'ephemeral';
}

/**
 * How a slash command (or any request that can be answered privately) is delivered. In the bot's own
 * DM the asker is the audience. Elsewhere the answer is shared with the conversation when the asker
 * may read nothing beyond it; otherwise it is answered ephemerally with the asker's own groups, so
 * their private groups never reach the others there. `private` (the asker asked for an answer only
 * they see) takes the ephemeral branch whatever the groups: the asker alone sees it, so it draws on
 * what they may read there.
 */
export function deliveryFor(policy: AccessPolicy, asked: { userId: string; channelId: string; botDm: boolean; private?: boolean }): Delivery {
  if (asked.botDm) {
    const audience: Audience = { kind: 'person', userId: asked.userId };
    return { audience, groups: readableGroups(policy, audience), visibility: 'shared' };
  }
  const shared: Audience = { kind: 'conversation', channelId: asked.channelId };
  const sharedGroups = readableGroups(policy, shared);
  const alone: Audience = { kind: 'person', userId: asked.userId, channelId: asked.channelId };
  const aloneGroups = readableGroups(policy, alone);
  // Public groups are readable by everyone there anyway: only private ones make an answer private.
  if (!asked.private && aloneGroups.every((g) => sharedGroups.includes(g) || policy.publicGroups.includes(g))) return { audience: shared, groups: sharedGroups, visibility: 'shared' };
  return { audience: alone, groups: aloneGroups, visibility: 'ephemeral' };
}

/**
 * The groups of the documents an answer cites that an audience may not read. An answer given to one
 * person (ephemeral) may be shown to a conversation (shared into a channel) only when this is empty.
 * A web result carries no group: anyone may read the web.
 */
export function unreadableCited(readable: readonly string[], citations: Iterable<{ accessGroup?: string }>): string[] {
  const refused = new Set<string>();
  for (const c of citations) if (c.accessGroup !== undefined && !readable.includes(c.accessGroup)) refused.add(c.accessGroup);
  return [...refused];
}
