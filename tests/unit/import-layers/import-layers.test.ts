/**
 * The import-graph check (`.dependency-cruiser.cjs`, run by `npm run lint`) bites: its real rules
 * refuse a cycle and an import from a lower folder up to a higher one in a small tree written to a
 * temp folder, and accept the same tree without them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const repo = path.resolve(__dirname, '../../..');
const config = require(path.join(repo, '.dependency-cruiser.cjs')) as {
  forbidden: IForbiddenRuleType[];
  LAYER_ORDERS: Record<string, Array<string | string[]>>;
};
const { orderedFolderRules, unlistedEntries } = require(path.join(repo, 'scripts/import-layers.cjs')) as {
  orderedFolderRules(orders: Record<string, Array<string | string[]>>): IForbiddenRuleType[];
  unlistedEntries(root: string, orders: Record<string, Array<string | string[]>>): string[];
};

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Writes `files` (path → source) under a fresh folder and cruises its src with `forbidden`. */
async function violationsIn(files: Record<string, string>, forbidden = config.forbidden) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-layers-'));
  for (const [file, source] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
  }
  const result = await cruise(
    ['src'],
    {
      baseDir: dir,
      validate: true,
      ruleSet: { forbidden },
      tsPreCompilationDeps: true,
      includeOnly: '^src/',
    },
    { extensions: ['.ts', '.tsx'] },
  );
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

const clean = {
  'src/shared/transcript/transcript.ts': 'export type Transcript = { words: string[] };\n',
  'src/shared/metrics/rate.ts':
    "import type { Transcript } from '../transcript/transcript';\nexport const rate = (t: Transcript) => t.words.length;\n",
  'src/shared/api/types.ts': "import { rate } from '../metrics/rate';\nexport const r = rate;\n",
  'src/main/core/util/logger.ts': 'export const log = () => undefined;\n',
  'src/main/ai/judge.ts': "import { log } from '../core/util/logger';\nexport const judge = log;\n",
};

describe('the import-graph rules', () => {
  it('accept imports that go down, including ai using the core’s util (a nested entry)', async () => {
    expect(await violationsIn(clean)).toEqual([]);
  });

  it('refuse a lower folder importing a higher one, naming both', async () => {
    const violations = await violationsIn({
      ...clean,
      'src/shared/metrics/bad.ts': "import { r } from '../api/types';\nexport const bad = r;\n",
      'src/main/core/store.ts': 'export const store = 1;\n',
      'src/main/ai/worse.ts': "import { store } from '../core/store';\nexport const worse = store;\n",
    });
    expect(violations).toEqual([
      'layer-order:src/main/ai->core: src/main/ai/worse.ts -> src/main/core/store.ts',
      'layer-order:src/shared/metrics->api: src/shared/metrics/bad.ts -> src/shared/api/types.ts',
    ]);
  });

  it('refuse an import cycle', async () => {
    const violations = await violationsIn({
      'src/shared/api/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/shared/api/b.ts': "import type { a } from './a';\nexport const b = 1 as unknown as typeof a;\n",
    });
    // dependency-cruiser names the cycle once, from whichever end it met first.
    expect(violations).toEqual([
      expect.stringMatching(/^no-circular: src\/shared\/api\/(a|b)\.ts -> src\/shared\/api\/(b|a)\.ts$/),
    ]);
  });

  it('keep peers of one level apart', async () => {
    const rules = orderedFolderRules({ 'src/x': ['base', ['left', 'right']] });
    const violations = await violationsIn(
      {
        'src/x/base/b.ts': 'export const b = 1;\n',
        'src/x/left/l.ts':
          "import { b } from '../base/b';\nimport { r } from '../right/r';\nexport const l = b + r;\n",
        'src/x/right/r.ts': 'export const r = 2;\n',
      },
      rules,
    );
    expect(violations).toEqual(['layer-order:src/x/left->right: src/x/left/l.ts -> src/x/right/r.ts']);
  });

  it('place every folder of every layer of the repository', () => {
    expect(unlistedEntries(repo, config.LAYER_ORDERS)).toEqual([]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-layers-'));
    fs.mkdirSync(path.join(dir, 'src/x/base'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'src/x/newcomer'));
    expect(unlistedEntries(dir, { 'src/x': ['base'] })).toEqual(['src/x/newcomer']);
  });
});
