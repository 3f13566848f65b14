import type { RequestListener } from 'node:http';
import { createDiscordAdapter } from '../chat/discord/index.js';
import { createSlackAdapter } from '../chat/slack/index.js';
import type { ChatSurface, SurfaceDeps } from '../chat/surface.js';
import type { Cairn } from './cairn.js';

/** What start.ts calls a connected chat surface. */
export type { ChatSurface as Surface } from '../chat/surface.js';

/** The chat surfaces the config asks for (Slack, Discord, both or neither), built but not started. */
export function configuredSurfaces(cairn: Cairn): ChatSurface[] {
  const { config } = cairn.runtime;
  const deps: SurfaceDeps = { chat: cairn.chat, admin: { reindex: cairn.reindex, index: cairn.admin }, feedback: cairn.votes, answers: cairn.answers, logger: cairn.logger, leases: cairn.shared.leases, channelSettings: cairn.shared.channelSettings, ...sharedDelivery(cairn) };
  return [
    ...(config.slack ? [createSlackAdapter(deps, { config: config.slack })] : []),
    ...(config.discord ? [createDiscordAdapter(deps, { config: config.discord })] : []),
  ];
}

/** In-process dedupe is each adapter's own default; only shared stores are passed in, so one replica behaves as before. */
function sharedDelivery(cairn: Cairn): Pick<SurfaceDeps, 'delivery'> {
  const { shared } = cairn;
  return shared.kind.coordination === 'redis' ? { delivery: { dedupe: shared.dedupe, threads: shared.threads } } : {};
}

/** Connects each configured surface in turn; returns them and the HTTP routes they need. */
export async function startSurfaces(cairn: Cairn): Promise<{ surfaces: ChatSurface[]; routes: Record<string, RequestListener> }> {
  const surfaces = configuredSurfaces(cairn);
  const started: ChatSurface[] = [];
  try {
    for (const surface of surfaces) {
      await surface.start();
      started.push(surface);
    }
  } catch (err) {
    // The caller only learns of surfaces once all have started, so it cannot stop the ones that did.
    await Promise.allSettled(started.map((s) => s.stop()));
    throw err;
  }
  return { surfaces, routes: Object.fromEntries(surfaces.flatMap((s) => Object.entries(s.routes ?? {}))) };
}
