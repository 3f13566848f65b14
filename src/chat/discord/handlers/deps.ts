import type { ThreadRegistry } from '../../../shared-state/threads.js';
import type { AutoAnswerChannels } from '../../shared/auto-answer.js';
import type { SurfaceDeps } from '../../surface.js';
import type { ShardStatus } from '../shards.js';

export interface HandlerDeps extends SurfaceDeps {
  /** Members with any of these roles may run /cairn-reindex. */
  adminRoleIds: string[];
  /** The role "Still need help?" mentions (DISCORD_HANDOFF_ROLE); no hand-off button without it. */
  handoffRoleId?: string;
  /** Least time between two progress edits of one message. */
  progressIntervalMs: number;
  /** Forums whose new posts are answered without a mention. */
  autoAnswer: AutoAnswerChannels;
  /** The forum posts Cairn answered unasked, and those where another person has replied since (shared across replicas with Redis). */
  supportThreads: ThreadRegistry;
  /** The gateway shards this replica holds, for /cairn-status; null before start. */
  gatewayStatus: () => ShardStatus | null;
}
