import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryChannelSettings, SqliteChannelSettings, type ChannelSettings } from '../../src/shared-state/channel-settings.js';
import { PgChannelSettings } from '../../src/shared-state/pg-channel-settings.js';
import { DATABASE_URL, pgSchema, skipWithout } from './helpers.js';

/** `open` makes a new store over the same data (a restart, or another replica); `cleanup` closes what was opened and deletes the data. */
type Factory = () => Promise<{ open: () => ChannelSettings; cleanup: () => Promise<void> }>;

/** The behaviour every durable ChannelSettings must have: SQLite and PostgreSQL alike. */
function runChannelSettingsContract(name: string, make: Factory, skip = false): void {
  describe.skipIf(skip)(`ChannelSettings contract: ${name}`, () => {
    let made: Awaited<ReturnType<Factory>> | undefined;
    const opened: ChannelSettings[] = [];
    const open = () => {
      const s = made!.open();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await made?.cleanup();
      made = undefined;
    });

    it('has no setting for a channel nobody switched, and the last switch for one that was', async () => {
      made = await make();
      const s = open();
      expect(await s.autoAnswer('slack:C1')).toBeUndefined();
      await s.setAutoAnswer('slack:C1', true, 'UADMIN');
      await s.setAutoAnswer('discord:42', false, 'UADMIN');
      expect([await s.autoAnswer('slack:C1'), await s.autoAnswer('discord:42'), await s.autoAnswer('slack:C2')]).toEqual([true, false, undefined]);
      await s.setAutoAnswer('slack:C1', false, 'UOTHER');
      expect(await s.autoAnswer('slack:C1')).toBe(false);
    });

    it('keeps the switches across a restart', async () => {
      made = await make();
      const before = open();
      await before.setAutoAnswer('slack:C1', true, 'UADMIN');
      await before.setAutoAnswer('slack:C2', false, 'UADMIN');
      await before.close();
      opened.splice(opened.indexOf(before), 1);
      const after = open();
      expect([await after.autoAnswer('slack:C1'), await after.autoAnswer('slack:C2')]).toEqual([true, false]);
    });
  });
}

runChannelSettingsContract('channels.sqlite', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cairn-channels-'));
  return { open: () => new SqliteChannelSettings(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

runChannelSettingsContract(
  `PostgreSQL at DATABASE_URL${skipWithout('DATABASE_URL', DATABASE_URL)}`,
  async () => {
    const { schema, drop } = pgSchema();
    return { open: () => new PgChannelSettings(DATABASE_URL!, { schema }), cleanup: drop };
  },
  !DATABASE_URL,
);

describe.skipIf(!DATABASE_URL)(`PgChannelSettings across replicas${skipWithout('DATABASE_URL', DATABASE_URL)}`, () => {
  it('a switch made through one replica holds on another, even when both create the table at once', async () => {
    const { schema, drop } = pgSchema();
    const replicas = [new PgChannelSettings(DATABASE_URL!, { schema }), new PgChannelSettings(DATABASE_URL!, { schema })];
    try {
      await Promise.all(replicas.map((r) => r.autoAnswer('slack:C0')));
      await replicas[0]!.setAutoAnswer('slack:C1', true, 'UADMIN');
      expect(await replicas[1]!.autoAnswer('slack:C1')).toBe(true);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await drop();
    }
  });
});

describe('MemoryChannelSettings', () => {
  it('keeps switches for the life of the process', async () => {
    const s = new MemoryChannelSettings();
    await s.setAutoAnswer('slack:C1', true);
    expect([await s.autoAnswer('slack:C1'), await s.autoAnswer('slack:C2')]).toEqual([true, undefined]);
  });
});
