import { InvalidArgumentError } from 'commander';

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
