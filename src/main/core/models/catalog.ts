/**
 * The catalog of models Rehearse can download, each pinned to an exact size and SHA-256.
 *
 * The entries are data: models/catalog.json at the top of the repository (models/README.md), read
 * here and validated with the zod schema below when the module loads. Nothing was downloaded to
 * compute the pins (the build machines cannot reach Hugging Face): every size and digest was read
 * from a published source, named in the entry's `source`; a value nobody published stays `null`
 * and the entry is `verified: false`, which the model manager refuses to install without an
 * explicit `allowUnpinned`.
 *
 * Enterprises and tests extend or replace it with a JSON file (REHEARSE_MODEL_CATALOG or
 * `loadCatalog({ file })`), validated with the same zod schema.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import builtInCatalogJson from '../../../../models/catalog.json' with { type: 'json' };

export const MODEL_STAGES = ['transcribe', 'vad', 'judge'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** A bare file name: no folders, no `..`, nothing a shell or Windows would choke on. */
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

const catalogEntryInputSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"'),
  name: z.string().min(1),
  stage: z.enum(MODEL_STAGES),
  fileName: z
    .string()
    .regex(SAFE_FILE_NAME, 'a bare file name without folders')
    .refine((name) => !name.endsWith('.part'), 'must not end with .part'),
  /** Exact size in bytes, or null when nobody published it. */
  bytes: z.number().int().positive().nullable().default(null),
  /** Lower-case hex SHA-256 of the whole file, or null when nobody published it. */
  sha256: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.string().regex(SHA256_HEX, '64 hex digits'))
    .nullable()
    .default(null),
  /** True when size and digest are pinned; defaults to whether a digest is given. */
  verified: z.boolean().optional(),
  licence: z.string().min(1),
  url: z.url({ protocol: /^https?$/ }),
  description: z.string().default(''),
  recommended: z.boolean().default(false),
  /** Where the pinned size and digest were read (kept with the data, shown nowhere). */
  source: z.string().optional(),
});

export const catalogEntrySchema = catalogEntryInputSchema
  .transform((entry) => ({ ...entry, verified: entry.verified ?? entry.sha256 !== null }))
  .refine((entry) => !entry.verified || entry.sha256 !== null, {
    message: 'an entry marked verified needs a sha256',
    path: ['sha256'],
  });

export type CatalogEntry = z.output<typeof catalogEntrySchema>;

/** Every id and every file name at most once in one catalog file. */
function refineUnique(entries: readonly CatalogEntry[], ctx: z.RefinementCtx): void {
  for (const key of ['id', 'fileName'] as const) {
    const seen = new Map<string, number>();
    entries.forEach((entry, index) => {
      const first = seen.get(entry[key]);
      if (first === undefined) seen.set(entry[key], index);
      else
        ctx.addIssue({
          code: 'custom',
          path: [index, key],
          message: `duplicate ${key} "${entry[key]}" (also entry ${first})`,
        });
    });
  }
}

const entryListSchema = z.array(catalogEntrySchema).superRefine(refineUnique);

/** An extra catalog file: a bare array of entries, or `{ replace?: boolean, models: [...] }`. */
export const catalogFileSchema = z.union([
  entryListSchema,
  z.object({ replace: z.boolean().default(false), models: entryListSchema }),
]);

/** The catalog that ships with the app: models/catalog.json at the top of the repository. */
export const builtInCatalogFileSchema = z.object({
  $comment: z.string().optional(),
  models: entryListSchema.refine((models) => models.length > 0, 'the built-in catalog is empty'),
});

/**
 * Validates a catalog file's parsed JSON; throws INVALID_INPUT naming the first bad field, e.g.
 * `The model catalog models/catalog.json is invalid at models.3.sha256: 64 hex digits`.
 */
export function parseCatalogFile<S extends z.ZodType>(schema: S, json: unknown, source: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new AppError(
    'INVALID_INPUT',
    `The model catalog ${source} is invalid${where}: ${issue?.message ?? 'unknown'}`,
    {
      hint: 'Each entry needs id, name, stage, fileName, licence and url, ids and file names once each; see docs/models.md.',
    },
  );
}

/**
 * The catalog that ships with the app, validated once. The JSON is imported rather than read from
 * disk, so the bundler inlines it into the Electron build (a packaged app has no models/ folder)
 * and tsx, vitest and `rehearse serve` read it straight from the repository.
 */
export const BUILT_IN_CATALOG: readonly CatalogEntry[] = Object.freeze(
  parseCatalogFile(builtInCatalogFileSchema, builtInCatalogJson, 'models/catalog.json').models,
);

export interface LoadCatalogOptions {
  /** An extra JSON catalog; defaults to REHEARSE_MODEL_CATALOG. */
  file?: string;
  /** Where REHEARSE_MODEL_CATALOG is read from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** The base catalog; defaults to BUILT_IN_CATALOG. */
  base?: readonly CatalogEntry[];
}

/**
 * The built-in catalog, extended by an extra JSON file: its entries replace built-in ones with the
 * same id and are appended otherwise; `{ "replace": true, "models": [...] }` drops the built-ins.
 */
export async function loadCatalog(options: LoadCatalogOptions = {}): Promise<CatalogEntry[]> {
  const base = options.base ?? BUILT_IN_CATALOG;
  const file = options.file ?? nonEmpty((options.env ?? process.env).REHEARSE_MODEL_CATALOG);
  if (file === undefined) return [...base];

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('INVALID_INPUT', `Cannot read the model catalog ${file}: ${describe(error)}`, {
      hint: 'Check the path in REHEARSE_MODEL_CATALOG, or unset it to use the built-in catalog.',
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `The model catalog ${file} is not valid JSON: ${describe(error)}`, {
      hint: 'Fix the JSON syntax; see docs/models.md for the format.',
      cause: error,
    });
  }
  const data = parseCatalogFile(catalogFileSchema, json, file);
  const extra = Array.isArray(data) ? data : data.models;
  const replace = !Array.isArray(data) && data.replace;
  return mergeCatalogs(replace ? [] : base, extra);
}

/** Entries of `extra` replace those of `base` with the same id (in place); new ids are appended. */
export function mergeCatalogs(base: readonly CatalogEntry[], extra: readonly CatalogEntry[]): CatalogEntry[] {
  const byId = new Map(base.map((entry) => [entry.id, entry] as const));
  for (const entry of extra) byId.set(entry.id, entry);
  const merged = [...byId.values()];
  const files = new Map<string, string>();
  for (const entry of merged) {
    const other = files.get(entry.fileName);
    if (other !== undefined) {
      throw new AppError(
        'INVALID_INPUT',
        `Models ${other} and ${entry.id} use the same file name ${entry.fileName}`,
        {
          hint: 'Give each catalog entry its own fileName.',
        },
      );
    }
    files.set(entry.fileName, entry.id);
  }
  return merged;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
