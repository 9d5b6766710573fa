/**
 * The main process's answer to the core's `seal`/`open` requests (see ./core-channel.ts): Electron's
 * `safeStorage` (macOS Keychain, Windows DPAPI, Linux libsecret/kwallet) exists only in the main
 * process. Pure: safeStorage is behind SafeStorageLike, so this is unit-tested in Node; index.ts
 * passes the real one. When no OS keychain is available (Linux without a keyring falls back to
 * 'basic_text', a hard-coded key) the answer is an error, and the core keeps the plain 0600 file.
 */
import type { ApiResult } from '../../shared/api/contract';
import { serializeError } from '../../shared/errors';
import type { SecretRequest } from './core-channel';

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only (Electron documents it for Linux). */
  getSelectedStorageBackend?(): string;
}

/** Why safeStorage should not be used now, or undefined when it protects secrets with the OS keychain. */
export function keychainUnavailableReason(
  storage: SafeStorageLike,
  platform: NodeJS.Platform,
): string | undefined {
  if (!storage.isEncryptionAvailable()) return 'the OS keychain is not available (safeStorage)';
  if (platform === 'linux' && storage.getSelectedStorageBackend) {
    const backend = storage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown')
      return `no keyring is available on this Linux desktop (safeStorage backend: ${backend})`;
  }
  return undefined;
}

export function answerSecretRequest(
  request: SecretRequest,
  storage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): ApiResult<string> {
  const reason = keychainUnavailableReason(storage, platform);
  if (reason !== undefined)
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `Cannot ${request.type === 'seal' ? 'seal' : 'unlock'} a secret: ${reason}`,
      },
    };
  try {
    return request.type === 'seal'
      ? { ok: true, value: storage.encryptString(request.plain).toString('base64') }
      : { ok: true, value: storage.decryptString(Buffer.from(request.sealed, 'base64')) };
  } catch (error) {
    const serialized = serializeError(error);
    return { ok: false, error: { ...serialized, message: `safeStorage: ${serialized.message}` } };
  }
}
