import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUILT_IN_CATALOG,
  builtInCatalogFileSchema,
  catalogEntrySchema,
  loadCatalog,
  parseCatalogFile,
  MODEL_STAGES,
  type CatalogEntry,
} from '../../../../../src/main/core/models/catalog';
import { defaultModelsDir } from '../../../../../src/main/core/models/model-manager';
import { AppError, isAppError } from '../../../../../src/shared/errors';
import { repoRoot } from '../../../../helpers/run-cli';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-catalog-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const extra = {
  id: 'company-judge',
  name: 'Company judge',
  stage: 'judge',
  fileName: 'company-judge.gguf',
  bytes: 1234,
  sha256: 'AB'.repeat(32),
  licence: 'proprietary',
  url: 'https://models.example.com/company-judge.gguf',
  recommended: true,
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('built-in catalog', () => {
  it('has unique ids and file names, and a recommended model for every stage', () => {
    const ids = BUILT_IN_CATALOG.map((e) => e.id);
    const files = BUILT_IN_CATALOG.map((e) => e.fileName);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(files).size).toBe(files.length);
    for (const stage of MODEL_STAGES) {
      expect(
        BUILT_IN_CATALOG.filter((e) => e.stage === stage && e.recommended),
        stage,
      ).toHaveLength(1);
    }
  });

  it('pins size and sha256 of every verified entry, and marks unpinned ones unverified', () => {
    for (const entry of BUILT_IN_CATALOG) {
      if (entry.verified) {
        expect(entry.sha256, entry.id).toMatch(/^[0-9a-f]{64}$/);
        expect(entry.bytes, entry.id).toBeGreaterThan(0);
      } else {
        expect(entry.sha256, entry.id).toBeNull();
      }
      expect(new URL(entry.url).protocol, entry.id).toBe('https:');
      expect(entry.url.endsWith(`/${entry.fileName}`), entry.id).toBe(true);
    }
  });

  it('includes the whisper.cpp models, the Silero VAD and instruct GGUFs', () => {
    const files = BUILT_IN_CATALOG.map((e) => e.fileName);
    expect(files).toEqual(
      expect.arrayContaining([
        'ggml-tiny.en-q5_1.bin',
        'ggml-base.en-q5_1.bin',
        'ggml-small.en-q5_1.bin',
        'ggml-silero-v6.2.0.bin',
      ]),
    );
    expect(
      BUILT_IN_CATALOG.filter((e) => e.stage === 'judge' && e.fileName.endsWith('.gguf')).length,
    ).toBeGreaterThanOrEqual(2);
  });
});

describe('models/catalog.json', () => {
  const catalogPath = join(repoRoot, 'models', 'catalog.json');
  const readCatalogJson = async () =>
    JSON.parse(await readFile(catalogPath, 'utf8')) as { models: Record<string, unknown>[] };

  /** The AppError parseCatalogFile throws for the built-in catalog's schema. */
  function refusal(json: unknown): AppError {
    try {
      parseCatalogFile(builtInCatalogFileSchema, json, 'models/catalog.json');
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected the catalog to be refused');
  }

  it('validates, and is the built-in catalog the model manager uses', async () => {
    const json = await readCatalogJson();
    const parsed = builtInCatalogFileSchema.safeParse(json);
    expect(parsed.success, parsed.error?.message).toBe(true);
    expect(parsed.data?.models).toEqual(BUILT_IN_CATALOG);
    expect(BUILT_IN_CATALOG.length).toBeGreaterThanOrEqual(7);
    for (const entry of BUILT_IN_CATALOG) expect(entry.source, entry.id).toBeTruthy();
  });

  it('refuses an entry whose sha256 is not 64 hex digits, naming the entry and field', async () => {
    const json = await readCatalogJson();
    const sha256 = String(json.models[2]?.sha256);
    json.models[2] = { ...json.models[2], sha256: sha256.slice(0, 63) };
    const error = refusal(json);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(
      'The model catalog models/catalog.json is invalid at models.2.sha256: 64 hex digits',
    );
  });

  it('refuses a duplicate id, naming it and both entries', async () => {
    const json = await readCatalogJson();
    const copy: Record<string, unknown> = { ...json.models[1], fileName: 'another-file.bin' };
    json.models.push(copy);
    const error = refusal(json);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(
      `The model catalog models/catalog.json is invalid at models.${json.models.length - 1}.id: ` +
        `duplicate id "${String(copy.id)}" (also entry 1)`,
    );
  });

  it('refuses a duplicate file name and an empty catalog', async () => {
    const json = await readCatalogJson();
    json.models.push({ ...json.models[0], id: 'another-id' });
    expect(refusal(json).message).toContain(`duplicate fileName "${String(json.models[0]?.fileName)}"`);
    expect(refusal({ models: [] }).message).toContain('the built-in catalog is empty');
  });
});

describe('catalog entry schema', () => {
  it('lower-cases the digest and defaults verified to whether a digest is given', () => {
    const pinned = catalogEntrySchema.parse(extra);
    expect(pinned.sha256).toBe('ab'.repeat(32));
    expect(pinned.verified).toBe(true);
    const unpinned = catalogEntrySchema.parse({ ...extra, sha256: null, bytes: null });
    expect(unpinned.verified).toBe(false);
  });

  it.each([
    ['a folder in the file name', { fileName: '../evil.bin' }],
    ['a .part file name', { fileName: 'x.bin.part' }],
    ['a short digest', { sha256: 'abc' }],
    ['a non-http url', { url: 'file:///etc/passwd' }],
    ['an unknown stage', { stage: 'tts' }],
    ['verified without a digest', { sha256: null, verified: true }],
  ])('rejects %s', (_what, change) => {
    expect(catalogEntrySchema.safeParse({ ...extra, ...change }).success).toBe(false);
  });
});

describe('loadCatalog', () => {
  it('returns the built-in catalog when no extra file is named', async () => {
    const catalog = await loadCatalog({ env: {} });
    expect(catalog.map((e) => e.id)).toEqual(BUILT_IN_CATALOG.map((e) => e.id));
  });

  it('adds entries from REHEARSE_MODEL_CATALOG and overrides built-ins with the same id', async () => {
    const first = BUILT_IN_CATALOG[0] as CatalogEntry;
    const file = join(dir, 'catalog.json');
    const mirrorUrl = `https://mirror.example.com/${first.fileName}`;
    await writeFile(file, JSON.stringify([extra, { ...first, url: mirrorUrl }]));

    const catalog = await loadCatalog({ env: { REHEARSE_MODEL_CATALOG: file } });

    expect(catalog).toHaveLength(BUILT_IN_CATALOG.length + 1);
    expect(catalog[0]).toMatchObject({ id: first.id, url: mirrorUrl });
    expect(catalog.at(-1)).toMatchObject({ id: 'company-judge', verified: true });
  });

  it('replaces the built-ins when the file says so', async () => {
    const file = join(dir, 'only.json');
    await writeFile(file, JSON.stringify({ replace: true, models: [extra] }));
    const catalog = await loadCatalog({ file });
    expect(catalog.map((e) => e.id)).toEqual(['company-judge']);
  });

  it('rejects a missing file, bad JSON, invalid entries and clashing file names with INVALID_INPUT', async () => {
    expect(await codeOf(loadCatalog({ file: join(dir, 'absent.json') }))).toBe('INVALID_INPUT');
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ not json');
    expect(await codeOf(loadCatalog({ file: bad }))).toBe('INVALID_INPUT');
    await writeFile(bad, JSON.stringify([{ ...extra, url: 'nope' }]));
    expect(await codeOf(loadCatalog({ file: bad }))).toBe('INVALID_INPUT');
    const first = BUILT_IN_CATALOG[0] as CatalogEntry;
    await writeFile(bad, JSON.stringify([{ ...extra, fileName: first.fileName }]));
    expect(await codeOf(loadCatalog({ file: bad }))).toBe('INVALID_INPUT');
    // The same id twice in one file is a mistake, not an override.
    await writeFile(bad, JSON.stringify([extra, { ...extra, fileName: 'other.gguf' }]));
    expect(await codeOf(loadCatalog({ file: bad }))).toBe('INVALID_INPUT');
  });
});

describe('defaultModelsDir', () => {
  it('uses REHEARSE_MODELS_DIR when set, else <dataDir>/models', () => {
    expect(defaultModelsDir('/data', { REHEARSE_MODELS_DIR: '/srv/models' })).toBe('/srv/models');
    expect(defaultModelsDir('/data', { REHEARSE_MODELS_DIR: '  ' })).toBe(join('/data', 'models'));
    expect(defaultModelsDir('/data', {})).toBe(join('/data', 'models'));
  });
});
