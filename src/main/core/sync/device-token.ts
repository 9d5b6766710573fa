/**
 * The device token the sync server issued at pairing, kept in `<dataDir>/sync/device-token` with
 * mode 0600 (folder 0700), written to a temporary file and renamed so a crash never leaves half a
 * token. With a SecretSealer (the desktop app: the OS keychain through Electron safeStorage) the file
 * holds a small versioned envelope instead of the token:
 *
 *   {"v":1,"sealer":"electron-safeStorage","data":"<base64 of the sealed bytes>"}
 *
 * Without one (`rehearse serve`, the CLI), or when sealing fails (Linux without a keyring), the file
 * holds the plain token, as before. A plain file is always readable; with a sealer it is sealed again
 * (once per process, see createDeviceTokenStore). A sealed file that cannot be opened here gives an
 * UNAUTHORIZED AppError that tells the partner to pair again. See docs/sync.md.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { createLogger } from '../util/logger';
import type { SecretSealer } from './secret-sealer';

const log = createLogger('sync');

export const DEVICE_TOKEN_ENVELOPE_VERSION = 1;

export interface DeviceTokenEnvelope {
  v: typeof DEVICE_TOKEN_ENVELOPE_VERSION;
  sealer: string;
  /** The sealed bytes, base64. */
  data: string;
}

const PAIR_AGAIN =
  'Pair this device again: make a new pairing code in the web workspace and enter it in Settings → Sync server.';

export function deviceTokenPath(dataDir: string): string {
  return path.join(dataDir, 'sync', 'device-token');
}

export type DeviceTokenFile =
  { format: 'plain'; token: string } | { format: 'sealed'; sealer: string; data: Uint8Array };

/** What a token file holds (null: empty). Throws an UNAUTHORIZED AppError for an unreadable envelope. */
export function parseDeviceTokenFile(text: string): DeviceTokenFile | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  // Tokens are `rhd_…`: a file starting with `{` is an envelope.
  if (!trimmed.startsWith('{')) return { format: 'plain', token: trimmed };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    value = undefined;
  }
  const envelope = value as Partial<DeviceTokenEnvelope> | undefined;
  if (
    typeof envelope !== 'object' ||
    envelope === null ||
    envelope.v !== DEVICE_TOKEN_ENVELOPE_VERSION ||
    typeof envelope.sealer !== 'string' ||
    envelope.sealer === '' ||
    typeof envelope.data !== 'string' ||
    envelope.data === ''
  )
    throw new AppError('UNAUTHORIZED', 'The stored sync device token is damaged or from a newer Rehearse', {
      hint: PAIR_AGAIN,
    });
  return {
    format: 'sealed',
    sealer: envelope.sealer,
    data: new Uint8Array(Buffer.from(envelope.data, 'base64')),
  };
}

export function sealedDeviceTokenFile(sealer: string, data: Uint8Array): string {
  const envelope: DeviceTokenEnvelope = {
    v: DEVICE_TOKEN_ENVELOPE_VERSION,
    sealer,
    data: Buffer.from(data).toString('base64'),
  };
  return `${JSON.stringify(envelope)}\n`;
}

async function writeFileAtomic(file: string, content: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
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

/**
 * Writes the token, sealed when a sealer is given and it succeeds; a sealer that fails (no keyring)
 * is logged and the plain 0600 file is written instead. Returns how it was stored.
 */
export async function writeDeviceToken(
  dataDir: string,
  token: string,
  sealer?: SecretSealer,
): Promise<'sealed' | 'plain'> {
  let content = token;
  let stored: 'sealed' | 'plain' = 'plain';
  if (sealer) {
    try {
      content = sealedDeviceTokenFile(sealer.kind, await sealer.seal(token));
      stored = 'sealed';
    } catch (error) {
      log.warn('could not seal the device token; keeping it in a 0600 file instead', {
        sealer: sealer.kind,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  await writeFileAtomic(deviceTokenPath(dataDir), content);
  return stored;
}

async function readTokenFile(dataDir: string): Promise<DeviceTokenFile | null> {
  let text: string;
  try {
    text = await fs.readFile(deviceTokenPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseDeviceTokenFile(text);
}

/**
 * The token, or null when this device is not paired (no file, or an empty one). A sealed file needs
 * a sealer of the same kind: otherwise, or when opening fails, an UNAUTHORIZED AppError says to pair again.
 */
export async function readDeviceToken(dataDir: string, sealer?: SecretSealer): Promise<string | null> {
  const file = await readTokenFile(dataDir);
  if (file === null) return null;
  if (file.format === 'plain') return file.token;
  if (!sealer || sealer.kind !== file.sealer)
    throw new AppError(
      'UNAUTHORIZED',
      `The sync device token was sealed with ${file.sealer}, which is not available here` +
        (sealer
          ? ` (this Rehearse seals with ${sealer.kind})`
          : ' (rehearse serve and the CLI keep it in a plain file)'),
      { hint: PAIR_AGAIN },
    );
  let token: string;
  try {
    token = (await sealer.open(file.data)).trim();
  } catch (error) {
    throw new AppError(
      'UNAUTHORIZED',
      `The sync device token could not be unlocked with ${sealer.kind}: ${error instanceof Error ? error.message : String(error)}`,
      { hint: PAIR_AGAIN, cause: error },
    );
  }
  return token === '' ? null : token;
}

export async function deleteDeviceToken(dataDir: string): Promise<void> {
  await fs.rm(deviceTokenPath(dataDir), { force: true });
}

export interface DeviceTokenStore {
  read(): Promise<string | null>;
  write(token: string): Promise<'sealed' | 'plain'>;
  delete(): Promise<void>;
}

/**
 * The sync client's access to the token: one operation at a time (so sealing a plain file again can
 * never bring back a token that unpair just deleted), and with a sealer, a plain (legacy or fallback)
 * file is sealed again the first time it is read in this process.
 */
export function createDeviceTokenStore(dataDir: string, sealer?: SecretSealer): DeviceTokenStore {
  let queue: Promise<unknown> = Promise.resolve();
  let resealTried = false;
  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    read: () =>
      exclusive(async () => {
        const token = await readDeviceToken(dataDir, sealer);
        if (token === null || !sealer || resealTried) return token;
        const file = await readTokenFile(dataDir);
        if (file?.format !== 'plain') return token;
        resealTried = true;
        try {
          if ((await writeDeviceToken(dataDir, token, sealer)) === 'sealed')
            log.info('sealed the stored device token', { sealer: sealer.kind });
        } catch (error) {
          log.warn('could not rewrite the device token file', { error: String(error) });
        }
        return token;
      }),
    write: (token) =>
      exclusive(() => {
        resealTried = true;
        return writeDeviceToken(dataDir, token, sealer);
      }),
    delete: () => exclusive(() => deleteDeviceToken(dataDir)),
  };
}
