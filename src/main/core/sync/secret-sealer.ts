/**
 * Seals a secret (the sync device token) with something stronger than file permissions. The desktop
 * app passes one backed by the OS keychain (Electron `safeStorage`, reached from the core's utility
 * process through the main process: src/main/electron/core-channel.ts); `rehearse serve` and the CLI
 * pass none and keep the plain 0600 file. See src/main/core/sync/device-token.ts and docs/sync.md.
 */
export interface SecretSealer {
  /** Names the sealer in the stored envelope, e.g. `electron-safeStorage`: opening needs the same kind. */
  readonly kind: string;
  /** Rejects when sealing is not available now (e.g. Linux without a keyring): the caller falls back. */
  seal(plain: string): Promise<Uint8Array>;
  open(sealed: Uint8Array): Promise<string>;
}
