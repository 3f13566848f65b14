import type { SourceConfig } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { DueTimers } from './due-timers.js';
import type { SourceSyncer } from './source-sync.js';

export interface SourceSchedule {
  /** Clears every timer, stops the syncs under way (their documents are kept) and waits for them. */
  stop(): Promise<void>;
}

/**
 * Runs each source that has a `schedule` every `everyMs`, counted from its last run (kept in its sync
 * state, so a restart does not re-sync everything at once; a source never synced is due now). The next
 * run is planned only when one ends, so a source's runs never overlap; a run the syncer finds busy (an
 * admin's, another replica's) is simply skipped until the next slot. Nothing a run does can stop the bot.
 */
export function startSourceSchedule(syncer: SourceSyncer, logger: Logger, now: () => number = Date.now): SourceSchedule {
  const jobs = new DueTimers(now);
  const arm = (source: SourceConfig & { everyMs: number }, dueAt: number) => jobs.at(source.id, dueAt, () => tick(source));

  const tick = async (source: SourceConfig & { everyMs: number }) => {
    try {
      const report = await syncer.sync(source, { trigger: 'schedule', signal: jobs.signal });
      if (report.status === 'failed') logger.warn({ source: source.id, err: report.error }, 'scheduled source sync failed; the next one runs on schedule');
    } catch (err) {
      // The syncer turns a run's failures into reports: this is a lease store or metrics fault.
      logger.error({ source: source.id, err: err instanceof Error ? err.message : String(err) }, 'scheduled source sync could not run');
    }
    arm(source, now() + source.everyMs);
  };

  const scheduled = syncer.sources.filter((s): s is SourceConfig & { everyMs: number } => s.everyMs !== undefined);
  for (const source of scheduled) {
    // A state that cannot be read makes the source due now: its run then fails, visibly, and is retried on schedule.
    void syncer.lastRunAt(source.id).then((last) => arm(source, last === undefined ? now() : last + source.everyMs));
  }
  if (scheduled.length > 0) logger.info({ sources: scheduled.map((s) => ({ id: s.id, everyMinutes: s.everyMs / 60_000 })) }, 'source schedules');

  return { stop: () => jobs.stop() };
}
