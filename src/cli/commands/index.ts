import type { RegisterCommand } from '../context.js';

export const commands: RegisterCommand[] = [];
