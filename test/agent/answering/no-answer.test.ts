import { describe, expect, it } from 'vitest';
import { missingNames, noAnswer } from '../../../src/agent/answering/no-answer.js';
import { chunk } from '../helpers.js';

const hits = [
  { chunk: chunk('deploy/heroku.md', 'Deploying to Heroku', 'Push the app to Heroku and set SLACK_BOT_TOKEN. Use Socket Mode to avoid a public URL.'), score: 0.9 },
  { chunk: chunk('deploy/lambda.md', 'Deploying to AWS Lambda', "Use the AwsLambdaReceiver. Slack's API calls go through the built-in client; Bolt v4 needs Node 18."), score: 0.7 },
];

describe('the no-answer rule', () => {
  it('declines a question about a name no close passage contains', () => {
    expect(noAnswer('How do I deploy my Bolt app to Google Cloud Run?', hits)).toEqual({ reason: 'unknown-name', names: ['Google Cloud Run'] });
    expect(noAnswer('How do I upload a file from my Heroku app with files.uploadV2?', hits)).toEqual({ reason: 'unknown-name', names: ['uploadV2'] });
    expect(noAnswer('What does the built-in client do about 5xx errors?', hits)).toEqual({ reason: 'unknown-name', names: ['5xx'] });
  });

  it('finds a name as consecutive words, possessives and case aside', () => {
    expect(missingNames('Which Node version does Bolt v4 need on AWS Lambda?', hits.map((h) => h.chunk.text + h.chunk.title))).toEqual([]);
    expect(missingNames('How do I route Slack API calls?', hits.map((h) => h.chunk.text))).toEqual([]);
    // Each word is there, but not the name: the docs speak of Bolt v4, never of Bolt v6.
    expect(missingNames('Is there a guide for Bolt v6?', ['Bolt v4 upgraded web-api from v6 to v7.'])).toEqual(['Bolt v6']);
  });

  it('does not take the capital that opens a sentence for a name', () => {
    expect(noAnswer('Deploying to Heroku: which token do I set?', hits)).toBeNull();
  });

  it('declines when nothing was found or nothing shares the question’s words', () => {
    expect(noAnswer('How do I deploy to Heroku?', [])).toEqual({ reason: 'no-passages' });
    expect(noAnswer('what is the dress code for the summer party', hits)).toEqual({ reason: 'off-topic' });
  });

  it('answers a question in the docs’ own words', () => {
    expect(noAnswer('How do I avoid a public URL when I deploy to Heroku?', hits)).toBeNull();
  });
});
