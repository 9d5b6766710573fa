/**
 * Recordings as files under one root folder. Every key is checked twice: by its shape
 * (isValidStorageKey) and by where it resolves (it must stay inside the root), so no key can
 * reach a file outside. Writes go to `<root>/.tmp/` first and are renamed into place.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../shared/errors';
import { isValidStorageKey, type RecordingStorage, type StoredObject } from './recording-storage';

export function createDiskRecordingStorage(root: string): RecordingStorage {
  const absoluteRoot = path.resolve(root);
  const tmpDir = path.join(absoluteRoot, '.tmp');

  function resolveKey(key: string): string {
    if (!isValidStorageKey(key))
      throw new AppError('INVALID_INPUT', `Not a valid storage key: ${JSON.stringify(key)}`);
    const full = path.resolve(absoluteRoot, ...key.split('/'));
    if (!full.startsWith(absoluteRoot + path.sep))
      throw new AppError('INVALID_INPUT', 'A storage key must stay inside the storage folder');
    return full;
  }

  return {
    async write(key, source): Promise<StoredObject> {
      const target = resolveKey(key);
      await fsp.mkdir(tmpDir, { recursive: true });
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const tmp = path.join(tmpDir, `${randomUUID()}.part`);
      try {
        const input = source instanceof Readable ? source : Readable.from([Buffer.from(source)]);
        const output = fs.createWriteStream(tmp, { flags: 'wx' });
        await pipeline(input, output);
        const handle = await fsp.open(tmp, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fsp.rename(tmp, target);
      } catch (error) {
        await fsp.rm(tmp, { force: true });
        throw error;
      }
      const { size } = await fsp.stat(target);
      return { key, bytes: size };
    },

    async stat(key) {
      try {
        const info = await fsp.stat(resolveKey(key));
        return info.isFile() ? { key, bytes: info.size } : null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },

    async read(key, range) {
      const full = resolveKey(key);
      const info = await fsp.stat(full).catch(() => null);
      if (!info?.isFile()) throw new AppError('NOT_FOUND', `No stored recording ${key}`);
      return fs.createReadStream(full, range ? { start: range.start, end: range.end } : {});
    },

    async remove(key) {
      await fsp.rm(resolveKey(key), { force: true });
    },
  };
}
