import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Import boundaries between src/ folders. A file gets the restrictions of the last entry that
// matches it (ESLint replaces a rule's options, it does not merge them), so each entry lists all
// of its own: the baseline first, then the stricter layers.
const PLATFORM = { group: ['**/chat/**', '@slack/*', 'discord.js'], message: 'Only chat/ adapters (and app/, which assembles them) may depend on a chat platform.' };
const AGENT_INTERNALS = { group: ['**/agent/*/**', '**/agent/*.js', '!**/agent/index.js'], message: 'Import the agent through src/agent/index.ts: its folders are its own business.' };
const APP = { group: ['**/app/**'], message: 'app/ assembles Cairn from the other folders: only app/ and cli/ may import it.' };
const PLUMBING = { group: ['**/agent/**', '**/app/**', '**/cli/**'], message: 'observability/ and server/ sit below the agent and the app: pass in what they measure or serve.' };
const layers = [
  { files: ['src/**/*.ts'], patterns: [AGENT_INTERNALS, APP] },
  { files: ['src/app/**', 'src/cli/**'], patterns: [AGENT_INTERNALS] },
  { files: ['src/agent/**'], patterns: [PLATFORM, APP] },
  { files: ['src/core/**', 'src/retrieval/**', 'src/embed/**', 'src/ingest/**', 'src/sources/**', 'src/tools/**', 'src/eval/**', 'src/feedback/**', 'src/shared-state/**'], patterns: [PLATFORM, AGENT_INTERNALS, APP] },
  { files: ['src/observability/**', 'src/server/**'], patterns: [PLATFORM, PLUMBING] },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cairn/', 'coverage/'] },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in src/config only and pass it in.' }],
    },
  },
  {
    files: ['src/config/**', 'test/**', 'bench/**', 'bin/**', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  ...layers.map(({ files, patterns }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } })),
);
