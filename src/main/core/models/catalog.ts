/**
 * The catalog of models Rehearse can download, each pinned to an exact size and SHA-256.
 *
 * Nothing here was downloaded to compute these values (the build machines cannot reach Hugging
 * Face). Every size and digest below was read from a published source, named in the comment above
 * the entry; a value nobody published stays `null` and the entry is `verified: false`, which the
 * model manager refuses to install without an explicit `allowUnpinned`.
 *
 * Enterprises and tests extend or replace it with a JSON file (REHEARSE_MODEL_CATALOG or
 * `loadCatalog({ file })`), validated with the same zod schema.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';

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
});

export const catalogEntrySchema = catalogEntryInputSchema
  .transform((entry) => ({ ...entry, verified: entry.verified ?? entry.sha256 !== null }))
  .refine((entry) => !entry.verified || entry.sha256 !== null, {
    message: 'an entry marked verified needs a sha256',
    path: ['sha256'],
  });

export type CatalogEntry = z.output<typeof catalogEntrySchema>;

/** An extra catalog file: a bare array of entries, or `{ replace?: boolean, models: [...] }`. */
export const catalogFileSchema = z.union([
  z.array(catalogEntrySchema),
  z.object({ replace: z.boolean().default(false), models: z.array(catalogEntrySchema) }),
]);

const WHISPER_LICENCE = 'MIT (OpenAI Whisper weights; ggml conversion by the whisper.cpp authors)';
const HF_WHISPER = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

const BUILT_IN: readonly z.input<typeof catalogEntrySchema>[] = [
  // Size and SHA-256: the Git LFS details on huggingface.co/ggerganov/whisper.cpp/blob/<rev>/ggml-tiny.en-q5_1.bin
  // (SHA256 c77c5766…, "32.2 MB"); the exact byte count 32,166,155 appears with the same digest in
  // several independent apps' pinned catalogs. The repo README lists SHA-1 3fb92ec8… for it.
  {
    id: 'whisper-tiny.en-q5_1',
    name: 'Whisper tiny.en (Q5_1)',
    stage: 'transcribe',
    fileName: 'ggml-tiny.en-q5_1.bin',
    bytes: 32_166_155,
    sha256: 'c77c5766f1cef09b6b7d47f21b546cbddd4157886b3b5d6d4f709e91e66c7c2b',
    licence: WHISPER_LICENCE,
    url: `${HF_WHISPER}/ggml-tiny.en-q5_1.bin`,
    description:
      'Fastest English speech recognition (about 0.7 s per 30 s of audio on 2 CPU cores); misses more words.',
    recommended: false,
  },
  // huggingface.co/ggerganov/whisper.cpp/blob/main/ggml-base.en-q5_1.bin, Git LFS details:
  // SHA256 4baf70dd…, "59.7 MB"; exact 59,721,011 bytes in several pinned catalogs with that digest.
  {
    id: 'whisper-base.en-q5_1',
    name: 'Whisper base.en (Q5_1)',
    stage: 'transcribe',
    fileName: 'ggml-base.en-q5_1.bin',
    bytes: 59_721_011,
    sha256: '4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f',
    licence: WHISPER_LICENCE,
    url: `${HF_WHISPER}/ggml-base.en-q5_1.bin`,
    description:
      'Balanced English speech recognition (about 1.6 s per 30 s of audio on 2 CPU cores). The default.',
    recommended: true,
  },
  // huggingface.co/ggerganov/whisper.cpp/blob/refs%2Fpr%2F14/ggml-small.en-q5_1.bin, Git LFS details:
  // SHA256 bfdff489…, "190 MB"; exact 190,098,681 bytes in several pinned catalogs with that digest.
  {
    id: 'whisper-small.en-q5_1',
    name: 'Whisper small.en (Q5_1)',
    stage: 'transcribe',
    fileName: 'ggml-small.en-q5_1.bin',
    bytes: 190_098_681,
    sha256: 'bfdff4894dcb76bbf647d56263ea2a96645423f1669176f4844a1bf8e478ad30',
    licence: WHISPER_LICENCE,
    url: `${HF_WHISPER}/ggml-small.en-q5_1.bin`,
    description: 'Most accurate English speech recognition in the catalog; about 3x slower than base.en.',
    recommended: false,
  },
  // huggingface.co/ggml-org/whisper-vad (commit 9ffd54a adds ggml-silero-v6.2.0.bin, "885 kB"); the
  // byte-for-byte mirror huggingface.co/sigil-build/whisper-vad publishes 885,098 bytes and SHA-256
  // 2aa269b7…, the same digest as ../shared/fixtures/models/for-tests-silero-v6.2.0-ggml.bin
  // (whisper.cpp's models/ folder), whose size is 885,098 bytes.
  {
    id: 'silero-vad-v6.2.0',
    name: 'Silero VAD v6.2.0 (ggml)',
    stage: 'vad',
    fileName: 'ggml-silero-v6.2.0.bin',
    bytes: 885_098,
    sha256: '2aa269b785eeb53a82983a20501ddf7c1d9c48e33ab63a41391ac6c9f7fb6987',
    licence: 'MIT (Silero VAD by the Silero Team; ggml conversion by the whisper.cpp authors)',
    url: 'https://huggingface.co/ggml-org/whisper-vad/resolve/main/ggml-silero-v6.2.0.bin',
    description: 'Voice activity detection: finds speech and pauses for the pace and pause metrics.',
    recommended: true,
  },
  // Official Qwen GGUF. SHA-256 6a1a2eb6… and 1,117,320,736 bytes: a project's notes record this
  // digest "equal to the x-linked-etag Hugging Face reports for Qwen/Qwen2.5-1.5B-Instruct-GGUF at
  // commit 91cad51170dc346986eccefdc2dd33a9da36ead9"; the same digest and size appear in other
  // pinned catalogs and on a Hugging Face mirror's LFS details ("1.12 GB").
  {
    id: 'qwen2.5-1.5b-instruct-q4_k_m',
    name: 'Qwen2.5 1.5B Instruct (Q4_K_M)',
    stage: 'judge',
    fileName: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
    bytes: 1_117_320_736,
    sha256: '6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e',
    licence: 'Apache-2.0',
    url: 'https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/91cad51170dc346986eccefdc2dd33a9da36ead9/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    description:
      'Compact instruct model that follows JSON schemas well; the default content judge (about 1.1 GB).',
    recommended: true,
  },
  // bartowski/SmolLM2-1.7B-Instruct-GGUF. SHA-256 77665ea4… and 1,055,609,824 bytes from several
  // independent pinned catalogs, and a Hugging Face cache blob named by that digest under
  // models--bartowski--SmolLM2-1.7B-Instruct-GGUF. (The lmstudio-community copy has another digest.)
  {
    id: 'smollm2-1.7b-instruct-q4_k_m',
    name: 'SmolLM2 1.7B Instruct (Q4_K_M)',
    stage: 'judge',
    fileName: 'SmolLM2-1.7B-Instruct-Q4_K_M.gguf',
    bytes: 1_055_609_824,
    sha256: '77665ea4815999596525c636fbeb56ba8b080b46ae85efef4f0d986a139834d7',
    licence: 'Apache-2.0',
    url: 'https://huggingface.co/bartowski/SmolLM2-1.7B-Instruct-GGUF/resolve/main/SmolLM2-1.7B-Instruct-Q4_K_M.gguf',
    description: 'Small English instruct model (about 1.1 GB); an alternative judge.',
    recommended: false,
  },
  // huggingface.co/bartowski/Llama-3.2-3B-Instruct-GGUF/blob/c346bfc…/Llama-3.2-3B-Instruct-Q4_K_M.gguf,
  // Git LFS details: SHA256 6c1a2b41…, "2.02 GB"; exact 2,019,377,696 bytes in independent notes.
  {
    id: 'llama-3.2-3b-instruct-q4_k_m',
    name: 'Llama 3.2 3B Instruct (Q4_K_M)',
    stage: 'judge',
    fileName: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    bytes: 2_019_377_696,
    sha256: '6c1a2b41161032677be168d354123594c0e6e67d2b9227c84f296ad037c728ff',
    licence: 'Llama 3.2 Community License',
    url: 'https://huggingface.co/bartowski/Llama-3.2-3B-Instruct-GGUF/resolve/main/Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    description: 'Larger judge with better feedback; needs about 4 GB of free memory and is slower.',
    recommended: false,
  },
];

/** The catalog that ships with the app, validated once. */
export const BUILT_IN_CATALOG: readonly CatalogEntry[] = Object.freeze(
  z.array(catalogEntrySchema).parse(BUILT_IN),
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
  const parsed = catalogFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new AppError(
      'INVALID_INPUT',
      `The model catalog ${file} is invalid${where}: ${issue?.message ?? 'unknown'}`,
      {
        hint: 'Each entry needs id, name, stage, fileName, licence and url; see docs/models.md.',
      },
    );
  }
  const extra = Array.isArray(parsed.data) ? parsed.data : parsed.data.models;
  const replace = !Array.isArray(parsed.data) && parsed.data.replace;
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
