import { describe, expect, it } from 'vitest';
import { feedbackRow, parseAnswerButton, parseReasonModal, parseVote, reasonModal } from '../../../../src/chat/discord/render/feedback-buttons.js';

describe('feedback buttons', () => {
  it('carry the request id in custom ids that parse back to the vote, within Discord’s 100 characters', () => {
    const requestId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const ids = feedbackRow(requestId).components.map((b) => ('custom_id' in b ? b.custom_id : ''));
    expect(ids.map(parseVote)).toEqual([{ vote: 'up', requestId }, { vote: 'down', requestId }]);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
  });

  it('adds Share and the hand-off after the votes, or the hand-off first and primary under a decline, with ids that parse back', () => {
    const requestId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const ids = (row: ReturnType<typeof feedbackRow>) => row.components.map((b) => ('custom_id' in b ? b.custom_id : ''));
    const answered = feedbackRow(requestId, { share: true, handoff: true });
    expect(ids(answered).map((id) => parseAnswerButton(id)?.action ?? parseVote(id)?.vote)).toEqual(['up', 'down', 'share', 'handoff']);
    expect(parseAnswerButton(ids(answered)[3]!)).toEqual({ action: 'handoff', requestId });
    for (const id of ids(answered)) expect(id.length).toBeLessThanOrEqual(100);
    const declined = feedbackRow(requestId, { handoff: true }, true);
    expect(declined.components[0]).toMatchObject({ custom_id: `cairn:handoff:${requestId}`, style: 1 });
    expect(ids(feedbackRow(requestId, {}, true))).toEqual([`cairn:vote:up:${requestId}`, `cairn:vote:down:${requestId}`]);
    expect(parseAnswerButton(`cairn:vote:up:${requestId}`)).toBeNull();
  });

  it('ignores buttons that are not Cairn votes', () => {
    expect(parseVote('other:thing')).toBeNull();
    expect(parseVote('cairn:vote:maybe:abc')).toBeNull();
  });

  it('name the answer in the 👎 reason form, whose id parses back to the request', () => {
    const requestId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const modal = reasonModal(requestId);
    expect(modal.custom_id.length).toBeLessThanOrEqual(100);
    expect(modal.title.length).toBeLessThanOrEqual(45);
    expect(parseReasonModal(modal.custom_id)).toBe(requestId);
    expect(parseReasonModal('cairn_reason:')).toBeNull();
    expect(parseReasonModal('other:form')).toBeNull();
  });
});
