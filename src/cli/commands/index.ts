import type { RegisterCommand } from '../context.js';
import { registerAsk } from './ask.js';
import { registerChat } from './chat.js';
import { registerEval } from './eval.js';
import { registerExport } from './export.js';
import { registerFeedback } from './feedback.js';
import { registerIngest } from './ingest.js';
import { registerReport } from './report.js';
import { registerSearch } from './search.js';
import { registerSources } from './sources.js';
import { registerStart } from './start.js';

export const commands: RegisterCommand[] = [registerStart, registerIngest, registerSources, registerSearch, registerAsk, registerChat, registerEval, registerFeedback, registerExport, registerReport];
