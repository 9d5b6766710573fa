// Import-graph rules, run by `npm run lint` (docs/adr/0004-import-layers.md).
//
// - no-circular: no import cycle anywhere in src (type-only imports count).
// - LAYER_ORDERS: inside each layer, its folders from the bottom up; a folder may import only
//   folders below it ([a, b] is a level of peers that may not import each other). To add a
//   folder, add its name at its place in the list: the rules are generated from the lists, and
//   a folder missing from its layer's list fails the check.
// The rules between layers (shared imports nothing of ours, the renderer only shared, ...) live
// in eslint.config.js (`no-restricted-imports`), their one home.
'use strict';
const { orderedFolderRules, unlistedEntries } = require('./scripts/import-layers.cjs');

const LAYER_ORDERS = {
  'src/shared': [
    'styles',
    'errors.ts',
    'text',
    'transcript',
    'pack',
    'metrics',
    'analysis',
    'sync',
    'review',
    'api',
  ],
  'src/server': [
    'errors.ts',
    'db',
    'auth',
    'storage',
    'identity',
    'submissions',
    'analytics',
    'integrations',
    'uploads',
    'config.ts',
    'http',
    'routes',
    'bootstrap.ts',
    'app.ts',
    'start-server.ts',
  ],
  'src/main': ['core/util', 'ai', 'core', ['serve', 'electron']],
  'src/main/core': [
    'util',
    'paths.ts',
    'data-dir',
    'db',
    'recordings',
    'store.ts',
    'settings',
    'models',
    'sync',
    'attempts',
    'packs',
    'capture',
    'pipeline',
    'api',
    'core.ts',
  ],
  'src/renderer/src': ['lib', 'components', 'features', 'app.tsx', 'main.tsx'],
  'src/workspace/src': ['lib', 'features', 'app.tsx', 'main.tsx'],
  'src/cli': ['exit-codes.ts', 'output.ts', 'format.ts', 'context.ts', 'run.ts', 'commands', 'main.ts'],
};

const unlisted = unlistedEntries(__dirname, LAYER_ORDERS);
if (unlisted.length > 0)
  throw new Error(
    `.dependency-cruiser.cjs: place these in their layer's order (LAYER_ORDERS): ${unlisted.join(', ')}`,
  );

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: move the shared part down, split the file, or invert the dependency.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...orderedFolderRules(LAYER_ORDERS),
  ],
  options: {
    includeOnly: '^src/',
    exclude: { path: '\\.css$' },
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
    cache: false,
  },
};

// For tests and tools; not part of dependency-cruiser's configuration.
Object.defineProperty(module.exports, 'LAYER_ORDERS', { value: LAYER_ORDERS, enumerable: false });
