import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Cairn } from '../../src/app/cairn.js';
import { configuredSurfaces } from '../../src/app/surfaces.js';
import type { Config } from '../../src/config/config.js';

const slack = { botToken: 'xoxb-test', signingSecret: 's', socketMode: false, adminUserIds: [], allowedChannels: [] };
const discord = { token: 'test-token', adminRoleIds: [], shardCount: 1, interactions: 'gateway' as const };

/** Just what building the surfaces reads; nothing connects until start(). */
function cairn(platforms: Pick<Config, 'slack' | 'discord'>): Cairn {
  return {
    runtime: { config: platforms }, chat: {}, reindex: {}, admin: {}, votes: { record: async () => undefined }, logger: pino({ level: 'silent' }),
    shared: { kind: { coordination: 'process', durable: 'local' } },
  } as unknown as Cairn;
}

describe('configuredSurfaces', () => {
  it('builds one surface per configured platform, Slack in HTTP mode with its events route', () => {
    const surfaces = configuredSurfaces(cairn({ slack, discord }));
    expect(surfaces.map((s) => s.name)).toEqual(['slack', 'discord']);
    expect(Object.keys(surfaces[0]!.routes ?? {})).toEqual(['/slack/events']);
    expect(surfaces[1]!.routes).toBeUndefined();
  });

  it('mounts /discord/interactions only when DISCORD_INTERACTIONS=http', () => {
    const [surface] = configuredSurfaces(cairn({ discord: { ...discord, interactions: 'http', publicKey: 'ab'.repeat(32) } }));
    expect(Object.keys(surface!.routes ?? {})).toEqual(['/discord/interactions']);
  });

  it('builds Slack in Socket Mode without a route, and nothing when no platform is configured', () => {
    expect(configuredSurfaces(cairn({ slack: { ...slack, socketMode: true, appToken: 'xapp-test' } }))[0]!.routes).toBeUndefined();
    expect(configuredSurfaces(cairn({}))).toEqual([]);
  });
});
