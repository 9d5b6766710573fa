/**
 * A small record, kept in the models folder, of the SHA-256 each file had when it was last hashed
 * (after a download or `verify`), keyed by file name and tied to its size and mtime. It lets `list`
 * report a known-bad file as corrupt without re-hashing gigabytes, and remembers the hash computed
 * for an unpinned model installed with `allowUnpinned`. Writing it is best effort: a read-only
 * REHEARSE_MODELS_DIR still works, it just has no memory.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { createLogger } from '../util/logger';

export const MANIFEST_FILE_NAME = '.rehearse-models.json';

const log = createLogger('models');

const recordSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  hashedAt: z.string(),
});
const manifestSchema = z.object({ version: z.literal(1), files: z.record(z.string(), recordSchema) });

export type HashRecord = z.infer<typeof recordSchema>;
type Manifest = z.infer<typeof manifestSchema>;

export async function readManifest(modelsDir: string): Promise<Manifest> {
  try {
    const parsed = manifestSchema.safeParse(
      JSON.parse(await readFile(join(modelsDir, MANIFEST_FILE_NAME), 'utf8')),
    );
    if (parsed.success) return parsed.data;
    log.warn('ignoring a malformed models manifest', { modelsDir });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      log.warn('cannot read the models manifest', { modelsDir, error: String(error) });
    }
  }
  return { version: 1, files: {} };
}

/** The record for `fileName` if it still describes the file on disk (same size and mtime). */
export function currentRecord(
  manifest: Manifest,
  fileName: string,
  onDisk: { size: number; mtimeMs: number },
): HashRecord | undefined {
  const record = manifest.files[fileName];
  return record && record.bytes === onDisk.size && record.mtimeMs === onDisk.mtimeMs ? record : undefined;
}

let writes: Promise<void> = Promise.resolve();

/** Sets (or with `record` undefined, removes) the record of one file. Never throws. */
export function updateManifest(
  modelsDir: string,
  fileName: string,
  record: HashRecord | undefined,
): Promise<void> {
  // Read-modify-write cycles run one after another so that two installs finishing together keep both records.
  writes = writes.then(() => writeRecord(modelsDir, fileName, record));
  return writes;
}

async function writeRecord(
  modelsDir: string,
  fileName: string,
  record: HashRecord | undefined,
): Promise<void> {
  try {
    const manifest = await readManifest(modelsDir);
    if (record === undefined) {
      if (!(fileName in manifest.files)) return;
      delete manifest.files[fileName];
    } else {
      manifest.files[fileName] = record;
    }
    const path = join(modelsDir, MANIFEST_FILE_NAME);
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(temp, path);
  } catch (error) {
    log.warn('cannot update the models manifest', { modelsDir, error: String(error) });
  }
}
