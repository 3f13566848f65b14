import { describe, expect, it } from 'vitest';
import { decideMessage, stripMention, type InboundMessage, type PolicyContext } from '../../../src/chat/slack/message-policy.js';

const ctx = (over: Partial<PolicyContext> = {}): PolicyContext => ({ botUserId: 'UBOT', allowedChannels: [], answeredInThread: () => false, ...over });
const msg = (over: Partial<InboundMessage> = {}): InboundMessage => ({ kind: 'message', channel: 'C1', channelType: 'channel', user: 'U1', text: 'hello', ts: '100.000200', ...over });

describe('decideMessage', () => {
  it('answers a channel mention in the message’s own thread, without the mention', () => {
    expect(decideMessage(msg({ kind: 'app_mention', channelType: undefined, text: '<@UBOT> how do I deploy?' }), ctx())).toEqual({
      answer: true, question: 'how do I deploy?', conversation: { botDm: false, audience: { kind: 'conversation', channelId: 'C1' }, allowed: true }, replyThreadTs: '100.000200', historyThreadTs: undefined,
    });
  });

  it('treats a message event that mentions the bot like a mention, including the <@id|name> form', () => {
    expect(decideMessage(msg({ text: 'hey <@UBOT|cairn> where is the runbook?' }), ctx())).toMatchObject({ answer: true, question: 'hey  where is the runbook?' });
  });

  it('answers a mention inside a thread in that thread, with that thread as history', () => {
    expect(decideMessage(msg({ kind: 'app_mention', text: '<@UBOT> and this?', ts: '100.000300', threadTs: '100.000100' }), ctx())).toMatchObject({
      answer: true, replyThreadTs: '100.000100', historyThreadTs: '100.000100',
    });
  });

  it('answers follow-ups only in threads it answered in', () => {
    const followUp = msg({ text: 'and staging?', ts: '100.000300', threadTs: '100.000100' });
    expect(decideMessage(followUp, ctx({ answeredInThread: (c, t) => c === 'C1' && t === '100.000100' }))).toMatchObject({ answer: true, historyThreadTs: '100.000100' });
    expect(decideMessage(followUp, ctx())).toEqual({ answer: false, reason: 'not_addressed' });
    expect(decideMessage(msg({ text: 'top-level chatter' }), ctx({ answeredInThread: () => true }))).toEqual({ answer: false, reason: 'not_addressed' });
    expect(decideMessage({ ...followUp, text: '<@U2> can you check this?' }, ctx({ answeredInThread: () => true }))).toEqual({ answer: false, reason: 'not_addressed' });
  });

  it('answers every DM, at top level unless the DM is in a thread', () => {
    expect(decideMessage(msg({ channel: 'D1', channelType: 'im', text: 'hi there' }), ctx())).toMatchObject({ answer: true, conversation: { botDm: true, audience: { kind: 'person', userId: 'U1' } }, replyThreadTs: undefined });
    expect(decideMessage(msg({ channel: 'D1', channelType: 'im', ts: '1.2', threadTs: '1.1' }), ctx())).toMatchObject({ answer: true, replyThreadTs: '1.1', historyThreadTs: '1.1' });
  });

  it('ignores bots, itself, edits, joins and empty messages', () => {
    const cases: [Partial<InboundMessage>, string][] = [
      [{ subtype: 'bot_message', botId: 'B2', user: undefined }, 'bot'],
      [{ botId: 'B2', user: 'U7' }, 'bot'],
      [{ user: 'UBOT', botId: 'BBOT' }, 'self'],
      [{ user: 'UBOT' }, 'self'],
      [{ subtype: 'message_changed', user: undefined }, 'edit'],
      [{ subtype: 'message_deleted', user: undefined }, 'edit'],
      [{ subtype: 'channel_join' }, 'edit'],
      [{ text: '  \n ' }, 'empty'],
      [{ text: undefined }, 'empty'],
    ];
    for (const [over, reason] of cases) expect(decideMessage(msg({ kind: 'app_mention', ...over }), ctx())).toEqual({ answer: false, reason });
  });

  it('still answers a file share or thread broadcast that mentions it', () => {
    expect(decideMessage(msg({ subtype: 'file_share', text: '<@UBOT> what is this?' }), ctx()).answer).toBe(true);
    expect(decideMessage(msg({ subtype: 'thread_broadcast', text: '<@UBOT> and this?' }), ctx()).answer).toBe(true);
  });

  it('honours the channel allow-list for channels but not for DMs', () => {
    const c = ctx({ allowedChannels: ['C2'] });
    expect(decideMessage(msg({ kind: 'app_mention', text: '<@UBOT> q' }), c)).toEqual({ answer: false, reason: 'channel_not_allowed' });
    expect(decideMessage(msg({ kind: 'app_mention', channel: 'C2', text: '<@UBOT> q' }), c).answer).toBe(true);
    expect(decideMessage(msg({ channel: 'D1', channelType: 'im' }), c).answer).toBe(true);
  });

  it('hands a bare mention to the chat service, which replies with a hint', () => {
    expect(decideMessage(msg({ kind: 'app_mention', text: '<@UBOT>' }), ctx())).toMatchObject({ answer: true, question: '' });
  });
});

describe('stripMention', () => {
  it('removes every mention of the bot and keeps other mentions and line breaks', () => {
    expect(stripMention('<@UBOT> ask <@U2> about\n```\ncode\n```', 'UBOT')).toBe('ask <@U2> about\n```\ncode\n```');
  });
});

describe('decideMessage in support channels', () => {
  it('answers an unmentioned top-level question in its own thread, and leaves statements alone', () => {
    expect(decideMessage(msg({ text: 'how do I deploy' }), ctx({ autoAnswer: true }))).toMatchObject({ answer: true, question: 'how do I deploy', replyThreadTs: '100.000200', historyThreadTs: undefined, support: true });
    expect(decideMessage(msg({ text: 'deploy done' }), ctx({ autoAnswer: true }))).toEqual({ answer: false, reason: 'not_a_question' });
    expect(decideMessage(msg({ text: 'how do I deploy?' }), ctx())).toEqual({ answer: false, reason: 'not_addressed' });
    expect(decideMessage(msg({ text: '<@U2> how do I deploy?' }), ctx({ autoAnswer: true }))).toEqual({ answer: false, reason: 'not_addressed' });
  });

  it('still needs the channel to be allowed, and a mention there is answered as a mention', () => {
    expect(decideMessage(msg({ text: 'how do I deploy?' }), ctx({ autoAnswer: true, allowedChannels: ['C9'] }))).toEqual({ answer: false, reason: 'channel_not_allowed' });
    expect(decideMessage(msg({ text: '<@UBOT> how do I deploy?' }), ctx({ autoAnswer: true }))).not.toHaveProperty('support');
  });

  it('steps back in a support thread once someone other than the asker replies, unless mentioned', () => {
    const reply = (user: string, text: string) => msg({ user, text, ts: '100.000300', threadTs: '100.000100', parentUserId: 'U1' });
    const live = ctx({ answeredInThread: () => true, supportThread: { quiet: false } });
    expect(decideMessage(reply('U1', 'and staging?'), live)).toMatchObject({ answer: true });
    expect(decideMessage(reply('U2', 'try restarting it'), live)).toEqual({ answer: false, reason: 'another_person_replied' });
    const quiet = ctx({ answeredInThread: () => true, supportThread: { quiet: true } });
    expect(decideMessage(reply('U1', 'and staging?'), quiet)).toEqual({ answer: false, reason: 'thread_taken_over' });
    expect(decideMessage(reply('U1', '<@UBOT> and staging?'), quiet)).toMatchObject({ answer: true, question: 'and staging?' });
  });
});
