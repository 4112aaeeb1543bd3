import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Lib boundaries (CONVENTIONS.md, "Shape"): apps -> libs, never back; a lib is used only through its
// index.ts (`@wendao/<lib>`); the ML libs stay plain TypeScript, usable from a CLI, a test or a bench.
const ROOT = import.meta.dirname;
const LIB_FILES = ['libs/**/*.{ts,mts,cts,js,mjs,cjs}'];
const ML_LIB_FILES = [
  'libs/{encoder,retriever,reader,models,text,intent,random,workers}/**/*.{ts,mts,cts,js,mjs,cjs}',
];
const LIB_IMPORTS = [
  {
    regex: '^@wendao/[^/]+/',
    message: "Import a lib through its public surface '@wendao/<lib>' (its index.ts), not its internals.",
  },
  {
    regex: '^(apps|libs)/',
    message: "Libs never import apps, and reach another lib only through '@wendao/<lib>'.",
  },
];
const SERVER_IMPORTS = [
  {
    regex: '^(@nestjs/|@socket\\.io/|(typeorm|pg|express|socket\\.io|ioredis|bullmq)(/|$))',
    message: 'The ML libs import no Nest, HTTP, database or queue code: apps/api composes them.',
  },
];

/** Relative imports are checked where they land: a lib file may not reach into apps/ or another lib's folder. */
const libBoundaries = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      app: "Libs never import apps ('{{source}}').",
      lib: "'{{source}}' reaches into libs/{{lib}}: import '@wendao/{{lib}}' instead.",
    },
  },
  create(context) {
    const [top, own] = relative(ROOT, context.filename).split(sep);
    if (top !== 'libs') return {};
    const check = (node) => {
      const source = node.source?.type === 'Literal' ? node.source.value : undefined;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const [area, lib] = relative(ROOT, resolve(dirname(context.filename), source)).split(sep);
      if (area === 'apps') context.report({ node: node.source, messageId: 'app', data: { source } });
      else if (area === 'libs' && lib !== own)
        context.report({ node: node.source, messageId: 'lib', data: { source, lib } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'models/**',
      '.cache/**',
      'coverage/**',
      'apps/admin/dist/**',
      'apps/widget/dist/**',
      '**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: LIB_FILES,
    plugins: { wendao: { rules: { 'lib-boundaries': libBoundaries } } },
    rules: {
      'no-restricted-imports': ['error', { patterns: LIB_IMPORTS }],
      'wendao/lib-boundaries': 'error',
    },
  },
  {
    // A later block replaces the rule's options, so the ML libs list the general lib patterns too.
    files: ML_LIB_FILES,
    rules: { 'no-restricted-imports': ['error', { patterns: [...LIB_IMPORTS, ...SERVER_IMPORTS] }] },
  },
  {
    // The admin console (React): hooks called unconditionally, effects listing what they read.
    files: ['apps/admin/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
