import type { SurfaceDeps } from '../../surface.js';

export interface HandlerDeps extends SurfaceDeps {
  /** Members with any of these roles may run /cairn-reindex. */
  adminRoleIds: string[];
  /** Least time between two progress edits of one message. */
  progressIntervalMs: number;
}
