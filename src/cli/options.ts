import { InvalidArgumentError } from 'commander';

const GROUP = /^[\w.-]+$/;

/** `--groups hr,eng` → ['hr', 'eng']; every name checked like an access group. */
export function groupList(value: string): string[] {
  const groups = value.split(',').map((g) => g.trim()).filter(Boolean);
  if (groups.length === 0 || !groups.every((g) => GROUP.test(g))) {
    throw new InvalidArgumentError('expected access group names (letters, digits, "_", "." or "-") separated by commas, e.g. public,hr');
  }
  return groups;
}
