import { describe, expect, it } from 'vitest';
import { looksLikeArithmetic } from '../../../src/tools/calculator/arithmetic-question.js';

describe('looksLikeArithmetic', () => {
  const calculations: Array<[string, string]> = [
    ['what is 17% of 2,340?', '17 / 100 * (2340)'],
    ['convert 5 km to miles', '5 km to miles'],
    ['Convert 5 km into miles please', '5 km to miles'],
    ["what's 2+2*3?", '2+2*3'],
    ['2+2', '2+2'],
    ['calculate (3+4)^2', '(3+4)^2'],
    ['how much is 12 x 7?', '12 * 7'],
    ['what is sqrt(16)?', 'sqrt(16)'],
    ['what is 10 divided by 4?', '10 / 4'],
    ['what is 1,000,000 / 3?', '1000000 / 3'],
    ['how many feet in 3 meters?', '3 meters to feet'],
    ['what is mean(1,2,3)?', 'mean(1,2,3)'],
  ];
  it.each(calculations)('%s → %s', (question, expression) => {
    expect(looksLikeArithmetic(question)).toBe(expression);
  });

  const notCalculations = [
    'what is the vacation policy?',
    'what is 401k?',
    'how do I set up 2FA?',
    'what happened in 2023?',
    'what is 2024?',
    'what is 2024-01-15?',
    'call 555-1234',
    'what is the 2023-2024 budget?',
    'what is a 5% raise on 50000?',
    'what is 3/4 of the team',
    '12/25/2024',
    'who is agent 007',
    'what is 5 m?',
    'what is -5',
    'how many people work in 2 offices',
    'x = 5',
    'what is config(1)',
    `what is ${'1+'.repeat(150)}1`,
  ];
  it.each(notCalculations)('leaves "%s" to document search', (question) => {
    expect(looksLikeArithmetic(question)).toBeNull();
  });
});
