import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER header of an Ed25519 SubjectPublicKeyInfo (RFC 8410): what node:crypto needs around Discord's raw 32-byte key. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Checks Discord's request signature: Ed25519 over the timestamp header followed by the raw body,
 * with the application's public key (hex, as the Developer Portal shows it).
 */
export function discordSignatureVerifier(publicKeyHex: string): (timestamp: string, body: Buffer, signatureHex: string) => boolean {
  const key: KeyObject = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]), format: 'der', type: 'spki' });
  return (timestamp, body, signatureHex) => {
    if (!/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  };
}
