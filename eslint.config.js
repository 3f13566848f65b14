import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
  {
    files: ['src/core/**', 'src/retrieval/**', 'src/embed/**', 'src/ingest/**', 'src/tools/**', 'src/agent/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/chat/**', '@slack/*', 'discord.js'], message: 'Only chat/ adapters may depend on a chat platform.' }] }],
    },
  },
);
