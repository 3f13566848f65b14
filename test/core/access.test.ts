import { describe, expect, it } from 'vitest';
import { deliveryFor, onlyPublic, readableGroups, unreadableCited, type AccessPolicy } from '../../src/core/access.js';

const policy: AccessPolicy = {
  channels: { CHR: ['hr'], CENG: ['eng', 'public'] },
  users: { UHR: ['hr', 'public'], UENG: ['eng'] },
  publicGroups: ['public'],
};

describe('readableGroups', () => {
  it('gives a conversation its mapping, or the public groups when unmapped', () => {
    expect(readableGroups(policy, { kind: 'conversation', channelId: 'CHR' })).toEqual(['hr']);
    expect(readableGroups(policy, { kind: 'conversation', channelId: 'C-unmapped' })).toEqual(['public']);
  });

  it('gives a person their own groups (public when unlisted) plus what the conversation they are in may read', () => {
    expect(readableGroups(policy, { kind: 'person', userId: 'UHR' })).toEqual(['hr', 'public']);
    expect(readableGroups(policy, { kind: 'person', userId: 'Unobody' })).toEqual(['public']);
    expect(readableGroups(policy, { kind: 'person', userId: 'UENG', channelId: 'CHR' })).toEqual(['eng', 'hr']);
  });

  it('gives a viewer the groups both they alone and the conversation in view may read, never more than their own', () => {
    expect(readableGroups(policy, { kind: 'viewer', userId: 'UHR', viewingChannelId: 'CHR' })).toEqual(['hr']);
    expect(readableGroups(policy, { kind: 'viewer', userId: 'UHR', viewingChannelId: 'CENG' })).toEqual(['public']);
    // The viewed channel may read hr, the user alone only public: hr does not reach them.
    expect(readableGroups(policy, { kind: 'viewer', userId: 'Unobody', viewingChannelId: 'CHR' })).toEqual([]);
    expect(readableGroups(policy, { kind: 'viewer', userId: 'UENG', viewingChannelId: 'C-unmapped' })).toEqual([]);
    expect(readableGroups(policy, { kind: 'viewer', userId: 'UHR' })).toEqual(['hr', 'public']);
  });
});

describe('deliveryFor', () => {
  it('answers in the bot’s own DM with the user’s groups', () => {
    expect(deliveryFor(policy, { userId: 'UHR', channelId: 'D1', botDm: true })).toEqual({
      audience: { kind: 'person', userId: 'UHR' }, groups: ['hr', 'public'], visibility: 'shared',
    });
  });

  it('shares an answer with the conversation when the asker may read nothing private beyond it', () => {
    expect(deliveryFor(policy, { userId: 'Unobody', channelId: 'CHR', botDm: false })).toMatchObject({ groups: ['hr'], visibility: 'shared' });
    expect(deliveryFor(policy, { userId: 'UENG', channelId: 'CENG', botDm: false })).toMatchObject({ groups: ['eng', 'public'], visibility: 'shared' });
  });

  it('answers privately, never shared, when the asker’s own groups go beyond the conversation’s', () => {
    expect(deliveryFor(policy, { userId: 'UHR', channelId: 'D-between-people', botDm: false })).toEqual({
      audience: { kind: 'person', userId: 'UHR', channelId: 'D-between-people' }, groups: ['hr', 'public'], visibility: 'ephemeral',
    });
    expect(deliveryFor(policy, { userId: 'UHR', channelId: 'CENG', botDm: false })).toMatchObject({ groups: ['hr', 'public', 'eng'], visibility: 'ephemeral' });
  });
});

describe('deliveryFor a private request', () => {
  it('answers the asker alone with what they may read there, even where a shared answer would be allowed', () => {
    expect(deliveryFor(policy, { userId: 'Unobody', channelId: 'CHR', botDm: false, private: true })).toEqual({
      audience: { kind: 'person', userId: 'Unobody', channelId: 'CHR' }, groups: ['public', 'hr'], visibility: 'ephemeral',
    });
  });

  it('changes nothing in the bot’s own DM, where the asker is alone anyway', () => {
    expect(deliveryFor(policy, { userId: 'UHR', channelId: 'D1', botDm: true, private: true })).toEqual(deliveryFor(policy, { userId: 'UHR', channelId: 'D1', botDm: true }));
  });
});

describe('unreadableCited', () => {
  it('names the cited groups the audience may not read, once each; web results carry none', () => {
    const cited = [{ accessGroup: 'hr' }, { accessGroup: 'public' }, { accessGroup: 'hr' }, {}];
    expect(unreadableCited(['public'], cited)).toEqual(['hr']);
    expect(unreadableCited(['hr', 'public'], cited)).toEqual([]);
    expect(unreadableCited([], [{}])).toEqual([]);
  });
});

describe('onlyPublic', () => {
  it('is true only when every group is public', () => {
    expect(onlyPublic(policy, ['public'])).toBe(true);
    expect(onlyPublic(policy, [])).toBe(true);
    expect(onlyPublic(policy, ['public', 'hr'])).toBe(false);
  });
});
