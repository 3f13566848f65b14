import { InvalidArgumentError } from 'commander';
import type { Runtime } from '../runtime.js';

const GROUP = /^[\w.-]+$/;

/** `--access-group hr`: one access group name. */
export function groupName(value: string): string {
  if (!GROUP.test(value)) throw new InvalidArgumentError('expected an access group name of letters, digits, "_", "." or "-"');
  return value;
}

/** `--groups hr,eng` → ['hr', 'eng']; every name checked like an access group. */
export function groupList(value: string): string[] {
  const groups = value.split(',').map((g) => g.trim()).filter(Boolean);
  if (groups.length === 0 || !groups.every((g) => GROUP.test(g))) {
    throw new InvalidArgumentError('expected access group names (letters, digits, "_", "." or "-") separated by commas, e.g. public,hr');
  }
  return groups;
}

/** `--k 20`: a whole number from 1 to `max`. */
export function positiveInt(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return n;
  };
}

/** `--since 2025-01-31` (or a full ISO time) as the ISO string the feedback store compares against. */
export function sinceDate(value: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) throw new InvalidArgumentError('expected an ISO date such as 2025-01-31 or 2025-01-31T12:00:00Z');
  return new Date(ms).toISOString();
}

/** What `--groups` defaults to. The CLI is an operator's tool: it searches every access group unless told which. */
export async function allAccessGroups(rt: Runtime): Promise<string[]> {
  return [...new Set((await rt.store.listDocuments()).map((d) => d.accessGroup))];
}
