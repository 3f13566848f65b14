import { GAPS_SUMMARY_DAYS, type GapsSummary } from '../chat/shared/admin.js';
import type { ChatSurface, GapsChannel } from '../chat/surface.js';
import type { Logger } from '../core/logger.js';
import type { Claims } from '../shared-state/claims.js';
import type { Cairn } from './cairn.js';
import { DueTimers } from './due-timers.js';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** A week's summary that could not be posted is tried again this much later, this many times in all. */
const RETRY_MS = HOUR_MS;
const MAX_TRIES = 3;

/** When the summary is due each week, in UTC; `weekday` as getUTCDay counts (0 is Sunday). */
export interface WeeklyAt {
  weekday: number;
  hour: number;
}

/** One platform's admin channel. */
export interface GapsSummaryTarget {
  platform: ChatSurface['name'];
  channel: GapsChannel;
}

export interface GapsSummaryDeps {
  targets: GapsSummaryTarget[];
  at: WeeklyAt;
  /** The groups everyone in a channel may read: the one access rule, as /cairn-gaps run there would ask it. */
  channelGroups: (channelId: string) => string[];
  /** The weak answers of the last `days` that an audience reading only `groups` may see, grouped (IndexAdmin.gaps). */
  gaps: (groups: string[], days: number) => Promise<GapsSummary>;
  /** Where each week's post is claimed, shared by every replica and kept across restarts. */
  claims: Claims;
  logger: Logger;
  now?: () => number;
  retryMs?: number;
}

export interface GapsSummarySchedule {
  /** Clears the timers and waits for a post under way; one stopped before posting frees its claim. */
  stop(): Promise<void>;
}

/** The configured surfaces' gaps channels. */
export function gapsTargets(surfaces: readonly ChatSurface[]): GapsSummaryTarget[] {
  return surfaces.flatMap((s) => (s.gapsChannel ? [{ platform: s.name, channel: s.gapsChannel }] : []));
}

/** The summary as `cairn start` runs it, over the app's started surfaces. */
export function startCairnGapsSummary(cairn: Cairn, surfaces: readonly ChatSurface[], opts: { now?: () => number } = {}): GapsSummarySchedule {
  return startGapsSummary({
    targets: gapsTargets(surfaces),
    at: cairn.runtime.config.gapsSummary,
    // The admin channel is a conversation like any other: it sees what /cairn-gaps run there would.
    channelGroups: (channelId) => cairn.chat.accessGroups({ kind: 'conversation', channelId }),
    gaps: (groups, days) => cairn.admin.gaps(groups, days),
    claims: cairn.shared.claims,
    logger: cairn.logger,
    ...opts,
  });
}

/** The latest weekly due time at or before `now`: the slot a summary posted now belongs to. */
export function slotAt(now: number, at: WeeklyAt): number {
  const d = new Date(now);
  const back = (d.getUTCDay() - at.weekday + 7) % 7;
  const slot = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - back, at.hour);
  return slot > now ? slot - WEEK_MS : slot;
}

/**
 * Posts the coverage-gaps summary of the last week to each configured admin channel, once a week.
 * Each week is a slot (the due time at or before now), claimed per channel before posting: only the
 * replica whose claim wins posts, and a restart finds the week claimed and does not post it again. A
 * week whose due time passed while no replica ran (a first start included) is posted at start. A post
 * that fails frees its claim and is tried again an hour later, up to three times. Nothing it does can
 * stop the bot: every failure is logged, and its timers never keep the process alive.
 */
export function startGapsSummary(deps: GapsSummaryDeps): GapsSummarySchedule {
  const now = deps.now ?? Date.now;
  const retryMs = deps.retryMs ?? RETRY_MS;
  const jobs = new DueTimers(now);
  const arm = (target: GapsSummaryTarget, dueAt: number, run: () => Promise<void>) => jobs.at(`${target.platform}:${target.channel.id}`, dueAt, run);

  const attempt = async (target: GapsSummaryTarget, slot: number, tries: number): Promise<void> => {
    const outcome = await postOnce(deps, target, slot, jobs.signal).catch((err: unknown) => {
      deps.logger.error({ platform: target.platform, channel: target.channel.id, err: message(err) }, 'weekly gaps summary failed');
      return 'failed' as const;
    });
    if (outcome === 'failed' && tries < MAX_TRIES && slotAt(now() + retryMs, deps.at) === slot) {
      arm(target, now() + retryMs, () => attempt(target, slot, tries + 1));
      return;
    }
    if (outcome === 'failed') deps.logger.error({ platform: target.platform, channel: target.channel.id, tries }, 'weekly gaps summary not posted this week; the next is due on schedule');
    arm(target, slot + WEEK_MS, () => attempt(target, slotAt(now(), deps.at), 1));
  };

  for (const target of deps.targets) jobs.start(() => attempt(target, slotAt(now(), deps.at), 1));
  if (deps.targets.length > 0) {
    deps.logger.info(
      { channels: deps.targets.map((t) => `${t.platform}:${t.channel.id}`), weekdayUtc: deps.at.weekday, hourUtc: deps.at.hour, next: new Date(slotAt(now(), deps.at) + WEEK_MS).toISOString() },
      'weekly gaps summary',
    );
  }

  return { stop: () => jobs.stop() };
}

type Outcome = 'posted' | 'claimed' | 'failed' | 'stopped';

/** One try at one channel's summary for `slot`. */
async function postOnce(deps: GapsSummaryDeps, target: GapsSummaryTarget, slot: number, signal: AbortSignal): Promise<Outcome> {
  const key = `gaps-summary:${target.platform}:${target.channel.id}:${new Date(slot).toISOString().slice(0, 13)}`;
  const log = deps.logger.child({ platform: target.platform, channel: target.channel.id, week: new Date(slot).toISOString() });
  if (signal.aborted) return 'stopped';
  let claimed: boolean;
  try {
    claimed = await deps.claims.claim(key);
  } catch (err) {
    // Posting unclaimed could post twice (another replica may claim it once the store is back).
    log.error({ err: message(err) }, 'could not claim the weekly gaps summary (shared state unreachable); not posting it now');
    return 'failed';
  }
  if (!claimed) {
    log.info('weekly gaps summary already posted (by another replica, or before a restart)');
    return 'claimed';
  }
  try {
    const report = await deps.gaps(deps.channelGroups(target.channel.id), GAPS_SUMMARY_DAYS);
    if (signal.aborted) {
      await release(deps, key, log);
      return 'stopped';
    }
    await target.channel.post(report);
    log.info({ topics: report.topics.length, questions: report.questions }, 'weekly gaps summary posted');
    return 'posted';
  } catch (err) {
    log.error({ err: message(err) }, 'weekly gaps summary could not be posted');
    await release(deps, key, log);
    return 'failed';
  }
}

async function release(deps: GapsSummaryDeps, key: string, log: Logger): Promise<void> {
  try {
    await deps.claims.release(key);
  } catch (err) {
    log.warn({ err: message(err) }, 'could not free the weekly gaps summary claim; this week is skipped');
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
