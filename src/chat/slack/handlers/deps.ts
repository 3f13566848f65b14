import type { AutoAnswerChannels } from '../../shared/auto-answer.js';
import type { SurfaceDeps } from '../../surface.js';
import type { SlackConfig } from '../bolt-app.js';
import type { ImLookup } from '../conversation.js';
import type { DeliveryMemory } from '../delivery-memory.js';
import type { ThreadParticipation } from '../thread-participation.js';

export interface HandlerDeps extends SurfaceDeps {
  config: SlackConfig;
  memory: DeliveryMemory;
  /** Asks Slack whether Cairn posted in a thread the memory does not know (e.g. after a restart). */
  threads: ThreadParticipation;
  /** Tells Cairn's own DMs from DMs between people, for slash commands. */
  ims: ImLookup;
  /** Support channels: where top-level questions are answered without a mention. */
  autoAnswer: AutoAnswerChannels;
  progressIntervalMs: number;
  reindexProgressIntervalMs: number;
  /** Runs work after the ack; the adapter waits for it on stop. Never rejects. */
  background: (name: string, work: () => Promise<void>) => void;
}
