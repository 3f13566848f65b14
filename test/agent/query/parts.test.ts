import { describe, expect, it } from 'vitest';
import { questionParts } from '../../../src/agent/query/parts.js';

describe('question parts: a question that asks several things, split for a search each', () => {
  it('splits at an "and" that opens a new question, keeping a statement before them as context', () => {
    expect(questionParts('What goes in the Procfile, and what do I configure in the app?')).toEqual(['What goes in the Procfile', 'what do I configure in the app?']);
    expect(questionParts("We're moving a Bolt 3 app to Bolt 4: which Node version do we need, and how do we now use directMention?")).toEqual([
      "We're moving a Bolt 3 app to Bolt 4: which Node version do we need",
      "We're moving a Bolt 3 app to Bolt 4: how do we now use directMention?",
    ]);
    expect(questionParts('How do I open a modal from a slash command and then read what the user typed?')).toEqual([
      'How do I open a modal from a slash command',
      'then read what the user typed?',
    ]);
  });

  it('leaves one question whole: an "and" inside it, a short tail, or a statement and one question', () => {
    expect(questionParts('How do I catch a failed respond() call and the Web API errors properly?')).toEqual([]);
    expect(questionParts('Which log levels can I pick from in Bolt, and what is the default?')).toEqual([]);
    expect(questionParts('After upgrading to Bolt v5 my build fails with a type error. How do I fix it?')).toEqual([]);
    expect(questionParts('How long do I have to acknowledge a request?')).toEqual([]);
  });
});
