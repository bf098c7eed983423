// ESLint flat config: @eslint/js recommended + typescript-eslint recommended.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'out/',
      'node_modules/',
      'test/e2e/node_modules/',
      'test/e2e/.run/',
      '.vscode-test/',
      'coverage/',
      'server/src/catalog/generated/',
      '**/*.vsix',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        // Node.js globals (the `globals` package is not a dependency).
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        require: 'readonly',
        module: 'writable',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        clearImmediate: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Product code (engine, server, CLI, client): a spread into a call (`push(...list)`, `Math.max(...list)`)
    // passes every item as an argument, and a list of ~120,000 items overflows the stack (issue 11). Loop,
    // reduce, or spread into an array literal instead.
    files: ['server/src/**/*.ts', 'client/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'CallExpression > SpreadElement', message: 'No spread into a call: an unbounded list overflows the stack. Use a loop or reduce.' },
        { selector: 'NewExpression > SpreadElement', message: 'No spread into a call: an unbounded list overflows the stack. Use a loop.' },
      ],
    },
  },
);
