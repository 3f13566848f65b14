/** The platform-neutral question and reply that chat surfaces exchange with the agent. */

export type Platform = 'slack' | 'discord' | 'terminal' | 'cli' | 'eval';

export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

export type ProgressEvent =
  | { kind: 'status'; step: 'routing' | 'retrieving' | 'grading' | 'thinking' | 'tool' | 'checking' | 'retrying'; detail?: string }
  | { kind: 'draft'; text: string };

/** A text file that came with the question (CSV, JSON, TXT…); code the agent runs may read it. */
export interface QuestionFile {
  name: string;
  content: string;
}

/**
 * A file the asker attached, already read to text by the chat layer: extra context for this one
 * answer. It is never indexed or stored, and is cited as "your attachment" (see ATTACHMENT_SOURCE).
 */
export interface Attachment {
  name: string;
  text: string;
}

/** The `source` of a citation of an attachment: it has no URL and no path anyone else could open. */
export const ATTACHMENT_SOURCE = 'your attachment';

export interface AnswerRequest {
  question: string;
  asker: { id: string; name?: string };
  platform: Platform;
  channelId: string;
  threadId?: string;
  /** Earlier turns of the thread, oldest first, not including `question`. */
  history: Turn[];
  /** The access groups whose documents may be cited in this conversation. */
  accessGroups: string[];
  requestId?: string;
  /** Files attached to the question, already checked for size and text (see tools/sandbox/attachments.ts). */
  files?: QuestionFile[];
  /** Files the asker attached, read to text: passages for this answer only, cited as "your attachment". */
  attachments?: Attachment[];
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * What identifies a conversation thread across replicas: its memory (checkpoints) and its lock
 * (one answer at a time) are keyed on it. A request without a thread id (a one-off `cairn ask`)
 * has none.
 */
export function threadKey(request: Pick<AnswerRequest, 'platform' | 'channelId' | 'threadId'>): string | null {
  return request.threadId ? `${request.platform}:${request.channelId}:${request.threadId}` : null;
}

export interface Citation {
  n: number;
  title: string;
  source: string;
  url?: string;
  snippet: string;
  chunkId: string;
  /** The cited document's access group (absent for a web result): exports and records keep it. */
  accessGroup?: string;
}

export type GroundingVerdict = 'supported' | 'partial' | 'unsupported' | 'not_needed';

export interface AnswerReply {
  text: string;
  citations: Citation[];
  grounding: { verdict: GroundingVerdict; confidence: number };
  mode: 'agent' | 'extractive';
  toolsUsed: string[];
  llm: { calls: number; promptTokens: number; completionTokens: number };
  timingsMs: Record<string, number>;
  /** Set when a search ran on keywords alone because the dense index was being rebuilt: surfaces say so. */
  keywordOnly?: true;
  /** Set when the thread's shared memory (PostgreSQL) could not be read or written: surfaces say so. */
  threadMemoryLost?: true;
}

/** What a chat surface depends on: anything that answers a request. */
export interface Answerer {
  answer(request: AnswerRequest): Promise<AnswerReply>;
  /**
   * Whether thread memory holds turns of this thread (keyed by `threadKey`), written by this
   * process or another replica. When it does, the answer reads them there, so a surface need not
   * ask the platform for the thread (Slack allows distributed apps one conversations.replies a minute).
   */
  remembers?(thread: string): Promise<boolean>;
}
