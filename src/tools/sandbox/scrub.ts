/**
 * Removes anything that would tell a chat user about the host: absolute paths, file URLs, node_modules
 * locations and stack frames. Error text from the sandbox should not contain any, but it passes through
 * this anyway before it leaves the tool.
 */
export function scrubHostDetails(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*at\s/u.test(line))
    .join('\n')
    .replace(/file:\/\/\S+/gu, '<path>')
    .replace(/\S*node_modules\S*/gu, '<path>')
    .replace(/(?:[A-Za-z]:)?(?:[\\/][\w.@+~-]+){2,}[\\/]?/gu, '<path>')
    .trim();
}
