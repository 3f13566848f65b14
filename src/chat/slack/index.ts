export { createSlackAdapter, SLACK_EVENTS_PATH, type SlackAdapterOptions } from './adapter.js';
export type { SlackConfig } from './bolt-app.js';
export {
  FEEDBACK_ACTION, SLACK_LIMITS, renderAnswer, renderNotice, renderOutcome, renderProgress, type AnswerRenderOptions, type SlackMessage,
} from './render/blocks.js';
export { toMrkdwn } from './render/mrkdwn.js';
