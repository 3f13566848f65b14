import type { Config } from '../config/config.js';
import { FeedbackStore } from '../feedback/feedback-store.js';

/** Reads the feedback store once and always closes it. */
export function withFeedbackStore<T>(config: Config, fn: (store: FeedbackStore) => T): T {
  const store = new FeedbackStore(config.dataDir);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}
