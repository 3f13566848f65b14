import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { discordSignatureVerifier } from '../../../../src/chat/discord/http/signature.js';

describe('discordSignatureVerifier', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // As the Developer Portal shows it: the raw 32-byte key in hex.
  const verified = discordSignatureVerifier(publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex'));
  const body = Buffer.from('{"type":1}');
  const timestamp = '1767225600';
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('hex');

  it('accepts the signature over timestamp + raw body', () => {
    expect(verified(timestamp, body, signature)).toBe(true);
  });

  it('refuses a changed body, a changed timestamp, another key, and a signature that is not 64 bytes of hex', () => {
    expect(verified(timestamp, Buffer.from('{"type":2}'), signature)).toBe(false);
    expect(verified('1767225601', body, signature)).toBe(false);
    const other = sign(null, Buffer.concat([Buffer.from(timestamp), body]), generateKeyPairSync('ed25519').privateKey).toString('hex');
    expect(verified(timestamp, body, other)).toBe(false);
    expect(verified(timestamp, body, signature.slice(2))).toBe(false);
    expect(verified(timestamp, body, 'zz'.repeat(64))).toBe(false);
  });
});
