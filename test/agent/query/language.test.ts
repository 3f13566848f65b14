import { describe, expect, it } from 'vitest';
import { notEnglish } from '../../../src/agent/query/language.js';

describe('notEnglish: a cheap language check for questions', () => {
  it.each([
    'Combien de jours de congés ai-je par an ?',
    'Comment est-ce que je me connecte au VPN ?',
    '¿Cómo configuro el VPN en mi portátil?',
    'Wie kann ich den VPN auf meinem Laptop einrichten?',
    'Come posso configurare la VPN sul mio portatile? Che cosa serve?',
    'Como faço para configurar a VPN no meu computador?',
    'Hoe kan ik de VPN instellen op mijn laptop?',
    'VPNの設定方法を教えてください',
    'Как настроить VPN на ноутбуке?',
  ])('%s → not English', (q) => expect(notEnglish(q)).toBe(true));

  it.each([
    'How do I set up the VPN on my laptop?',
    'What is the default log level?',
    'Was the deploy rolled back?',
    'VPN WireGuard profile',
    'files.uploadV2',
    '2 + 2',
    'Do I need a café receipt for the daily meal allowance?',
  ])('%s → English (or too little to tell)', (q) => expect(notEnglish(q)).toBe(false));
});
