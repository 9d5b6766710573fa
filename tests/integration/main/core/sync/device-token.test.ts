import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../../src/shared/errors';
import {
  createDeviceTokenStore,
  deviceTokenPath,
  parseDeviceTokenFile,
  readDeviceToken,
  writeDeviceToken,
} from '../../../../../src/main/core/sync/device-token';
import type { SecretSealer } from '../../../../../src/main/core/sync/secret-sealer';
import { makeTempDir } from '../store/helpers';

const TOKEN = 'rhd_abcdefghijklmnopqrstuvwxyz012345';

/** Reverses the bytes and prefixes a marker: enough to prove the file does not hold the token. */
function fakeSealer(kind = 'fake-keychain'): SecretSealer & { seals: number; fail?: string } {
  const sealer = {
    kind,
    seals: 0,
    fail: undefined as string | undefined,
    seal(plain: string) {
      if (sealer.fail) return Promise.reject(new Error(sealer.fail));
      sealer.seals += 1;
      return Promise.resolve(new Uint8Array([0x5a, ...Buffer.from(plain, 'utf8').reverse()]));
    },
    open(sealed: Uint8Array) {
      if (sealer.fail) return Promise.reject(new Error(sealer.fail));
      if (sealed[0] !== 0x5a) return Promise.reject(new Error('not ours'));
      return Promise.resolve(Buffer.from(sealed.slice(1)).reverse().toString('utf8'));
    },
  };
  return sealer;
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

let dir: string;
beforeEach(() => {
  dir = makeTempDir('rehearse-token-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const fileText = () => fs.readFileSync(deviceTokenPath(dir), 'utf8');
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('device token file', () => {
  it('without a sealer keeps the plain token, 0600 in a 0700 folder, no temporary files left', async () => {
    expect(await writeDeviceToken(dir, TOKEN)).toBe('plain');
    expect(fileText()).toBe(TOKEN);
    if (process.platform !== 'win32') {
      expect(modeOf(deviceTokenPath(dir))).toBe(0o600);
      expect(modeOf(path.dirname(deviceTokenPath(dir)))).toBe(0o700);
    }
    expect(fs.readdirSync(path.dirname(deviceTokenPath(dir)))).toEqual(['device-token']);
    expect(await readDeviceToken(dir)).toBe(TOKEN);
  });

  it('with a sealer stores a versioned envelope, 0600, and opens it again', async () => {
    const sealer = fakeSealer();
    expect(await writeDeviceToken(dir, TOKEN, sealer)).toBe('sealed');
    const text = fileText();
    expect(text).not.toContain(TOKEN);
    const envelope = JSON.parse(text) as { v: number; sealer: string; data: string };
    expect(envelope).toMatchObject({ v: 1, sealer: 'fake-keychain' });
    expect(Buffer.from(envelope.data, 'base64')[0]).toBe(0x5a);
    if (process.platform !== 'win32') expect(modeOf(deviceTokenPath(dir))).toBe(0o600);
    expect(fs.readdirSync(path.dirname(deviceTokenPath(dir)))).toEqual(['device-token']);
    expect(await readDeviceToken(dir, sealer)).toBe(TOKEN);
  });

  it('reads a legacy plain file with a sealer, and seals it on the next write', async () => {
    fs.mkdirSync(path.dirname(deviceTokenPath(dir)), { recursive: true });
    fs.writeFileSync(deviceTokenPath(dir), `${TOKEN}\n`, { mode: 0o600 });
    const sealer = fakeSealer();
    expect(await readDeviceToken(dir, sealer)).toBe(TOKEN);
    expect(fileText()).toBe(`${TOKEN}\n`);
    await writeDeviceToken(dir, TOKEN, sealer);
    expect(parseDeviceTokenFile(fileText())).toMatchObject({ format: 'sealed', sealer: 'fake-keychain' });
  });

  it('a sealed file without that sealer says to pair again', async () => {
    await writeDeviceToken(dir, TOKEN, fakeSealer('electron-safeStorage'));
    const none = await appError(readDeviceToken(dir));
    expect(none.code).toBe('UNAUTHORIZED');
    expect(none.message).toContain('sealed with electron-safeStorage, which is not available here');
    expect(none.hint).toMatch(/Pair this device again/);

    const other = await appError(readDeviceToken(dir, fakeSealer('other-keychain')));
    expect(other.message).toContain('this Rehearse seals with other-keychain');
    expect(other.hint).toMatch(/Pair this device again/);
  });

  it('a sealer that cannot open the file, or a damaged envelope, says to pair again', async () => {
    const sealer = fakeSealer();
    await writeDeviceToken(dir, TOKEN, sealer);
    sealer.fail = 'keychain locked';
    const locked = await appError(readDeviceToken(dir, sealer));
    expect(locked).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(locked.message).toContain('could not be unlocked with fake-keychain: keychain locked');

    fs.writeFileSync(deviceTokenPath(dir), '{"v":2,"sealer":"fake-keychain","data":"AA=="}');
    const newer = await appError(readDeviceToken(dir, sealer));
    expect(newer.message).toContain('damaged or from a newer Rehearse');
    fs.writeFileSync(deviceTokenPath(dir), '{not json');
    expect((await appError(readDeviceToken(dir, sealer))).code).toBe('UNAUTHORIZED');
  });

  it('falls back to the plain 0600 file when sealing fails (no keyring)', async () => {
    const sealer = fakeSealer();
    sealer.fail = 'no keyring is available on this Linux desktop';
    expect(await writeDeviceToken(dir, TOKEN, sealer)).toBe('plain');
    expect(fileText()).toBe(TOKEN);
    if (process.platform !== 'win32') expect(modeOf(deviceTokenPath(dir))).toBe(0o600);
    expect(await readDeviceToken(dir, sealer)).toBe(TOKEN);
  });

  it('empty or missing file: not paired', async () => {
    expect(await readDeviceToken(dir, fakeSealer())).toBeNull();
    fs.mkdirSync(path.dirname(deviceTokenPath(dir)), { recursive: true });
    fs.writeFileSync(deviceTokenPath(dir), '  \n');
    expect(await readDeviceToken(dir, fakeSealer())).toBeNull();
  });
});

describe('createDeviceTokenStore', () => {
  it('seals a plain file the first time it reads it, once per process', async () => {
    await writeDeviceToken(dir, TOKEN);
    const sealer = fakeSealer();
    const tokens = createDeviceTokenStore(dir, sealer);
    expect(await tokens.read()).toBe(TOKEN);
    expect(parseDeviceTokenFile(fileText())).toMatchObject({ format: 'sealed' });
    expect(await tokens.read()).toBe(TOKEN);
    expect(sealer.seals).toBe(1);
  });

  it('tries sealing again only once when it keeps failing, and never resurrects a deleted token', async () => {
    await writeDeviceToken(dir, TOKEN);
    const sealer = fakeSealer();
    sealer.fail = 'no keyring';
    const tokens = createDeviceTokenStore(dir, sealer);
    const reading = tokens.read();
    const deleting = tokens.delete();
    expect(await reading).toBe(TOKEN);
    await deleting;
    expect(fs.existsSync(deviceTokenPath(dir))).toBe(false);
    expect(await tokens.read()).toBeNull();
    expect(await tokens.write(TOKEN)).toBe('plain');
    expect(await tokens.read()).toBe(TOKEN);
    expect(fileText()).toBe(TOKEN);
  });
});
