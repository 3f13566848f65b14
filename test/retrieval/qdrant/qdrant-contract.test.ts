import { randomUUID } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { pino } from 'pino';
import { expect } from 'vitest';
import { openQdrantStore } from '../../../src/retrieval/qdrant/index.js';
import { startFakeQdrant } from '../../fakes/qdrant-server.js';
import { runStoreContract } from '../store-contract.js';

const logger = pino({ level: 'silent' });

runStoreContract('qdrant (fake server checking Qdrant API shapes)', async () => {
  const fake = await startFakeQdrant();
  const store = openQdrantStore({ url: fake.url, collection: 'cairn', logger });
  return {
    store,
    cleanup: async () => {
      await fake.close();
      expect(fake.rejected, 'requests the fake Qdrant refused').toEqual([]);
    },
  };
});

const QDRANT_URL = process.env.QDRANT_URL;
const QDRANT_API_KEY = process.env.QDRANT_API_KEY;

runStoreContract(
  'qdrant (real server at QDRANT_URL)',
  async () => {
    const url = QDRANT_URL!;
    const collection = `cairn_test_${randomUUID().slice(0, 8)}`;
    const store = openQdrantStore({ url, ...(QDRANT_API_KEY ? { apiKey: QDRANT_API_KEY } : {}), collection, logger });
    const admin = new QdrantClient({ url, ...(QDRANT_API_KEY ? { apiKey: QDRANT_API_KEY } : {}), checkCompatibility: false });
    return {
      store,
      cleanup: async () => {
        const { aliases } = await admin.getAliases();
        if (aliases.some((a) => a.alias_name === collection)) {
          await admin.updateCollectionAliases({ actions: [{ delete_alias: { alias_name: collection } }] });
        }
        const { collections } = await admin.getCollections();
        for (const c of collections) if (c.name.startsWith(`${collection}_`)) await admin.deleteCollection(c.name);
      },
    };
  },
  QDRANT_URL ? undefined : { skip: 'QDRANT_URL is not set' },
);
