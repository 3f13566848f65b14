import readline from 'node:readline';
import type { ProgressEvent, Turn } from '../../core/answer.js';
import type { ChatService } from '../shared/chat-service.js';
import { renderForTerminal } from './render.js';
import { STATUS_TEXT } from '../shared/progress-text.js';

export interface TerminalChatOptions {
  chat: ChatService;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  /** Where "searching…" status goes; only shown on an interactive terminal. */
  status?: NodeJS.WritableStream & { isTTY?: boolean };
  userId?: string;
}


/**
 * One conversation in a terminal. Questions are answered one at a time in order, so piped input
 * (one question per line) gets one answer per line; the conversation is one thread with memory.
 * Resolves at end of input.
 */
export async function runTerminalChat(opts: TerminalChatOptions): Promise<{ questions: number }> {
  const interactive = Boolean(opts.input.isTTY);
  const rl = readline.createInterface({ input: opts.input, output: interactive ? opts.output : undefined, terminal: interactive });
  const history: Turn[] = [];
  const showStatus = Boolean(opts.status?.isTTY);
  let questions = 0;
  const prompt = () => interactive && opts.output.write('\nyou › ');
  if (interactive) opts.output.write('Ask a question about your documents (Ctrl-D to quit).\n');
  prompt();
  for await (const line of rl) {
    const question = line.trim();
    if (!question) {
      prompt();
      continue;
    }
    questions += 1;
    const onProgress = (e: ProgressEvent) => {
      if (showStatus && e.kind === 'status') opts.status!.write(`\r\x1b[2K… ${STATUS_TEXT[e.step] ?? e.step}`);
    };
    const outcome = await opts.chat.ask(
      { platform: 'terminal', channelId: 'terminal', threadId: 'terminal', userId: opts.userId ?? 'terminal', text: question, audience: { kind: 'person', userId: opts.userId ?? 'terminal' }, history: [...history] },
      { onProgress },
    );
    if (showStatus) opts.status!.write('\r\x1b[2K');
    const text = renderForTerminal(outcome);
    opts.output.write(`${interactive ? '\ncairn › ' : ''}${text}\n${interactive ? '' : '\n'}`);
    history.push({ role: 'user', text: question });
    if (outcome.kind === 'answer') history.push({ role: 'assistant', text: outcome.reply.text });
    prompt();
  }
  return { questions };
}
