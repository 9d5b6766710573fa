/**
 * The device token the sync server issued at pairing, kept in `<dataDir>/sync/device-token` with
 * mode 0600 (folder 0700), written to a temporary file and renamed so a crash never leaves half a
 * token. The OS keychain (Electron safeStorage) is a later step: see docs/sync.md.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export function deviceTokenPath(dataDir: string): string {
  return path.join(dataDir, 'sync', 'device-token');
}

export async function writeDeviceToken(dataDir: string, token: string): Promise<void> {
  const file = deviceTokenPath(dataDir);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(token, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** The token, or null when this device is not paired (no file, or an empty one). */
export async function readDeviceToken(dataDir: string): Promise<string | null> {
  try {
    const token = (await fs.readFile(deviceTokenPath(dataDir), 'utf8')).trim();
    return token === '' ? null : token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function deleteDeviceToken(dataDir: string): Promise<void> {
  await fs.rm(deviceTokenPath(dataDir), { force: true });
}
