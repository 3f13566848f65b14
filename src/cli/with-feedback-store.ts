import type { Config } from '../config/config.js';
import { FeedbackStore } from '../feedback/feedback-store.js';
import { PgFeedbackStore } from '../feedback/pg-feedback-store.js';
import type { FeedbackRepository } from '../feedback/types.js';

/** Reads the feedback store once (PostgreSQL when DATABASE_URL is set, else feedback.sqlite) and always closes it. */
export async function withFeedbackStore<T>(config: Config, fn: (store: FeedbackRepository) => T | Promise<T>): Promise<T> {
  const store: FeedbackRepository = config.shared.databaseUrl ? new PgFeedbackStore(config.shared.databaseUrl) : new FeedbackStore(config.dataDir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
