import type { SurfaceDeps } from '../../surface.js';
import type { ShardStatus } from '../shards.js';

export interface HandlerDeps extends SurfaceDeps {
  /** Members with any of these roles may run /cairn-reindex. */
  adminRoleIds: string[];
  /** The role "Still need help?" mentions (DISCORD_HANDOFF_ROLE); no hand-off button without it. */
  handoffRoleId?: string;
  /** Least time between two progress edits of one message. */
  progressIntervalMs: number;
  /** The gateway shards this replica holds, for /cairn-status; null before start. */
  gatewayStatus: () => ShardStatus | null;
}
