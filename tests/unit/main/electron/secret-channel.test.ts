import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSealerChannel,
  ELECTRON_SEALER_KIND,
  parseCoreMessage,
  parseMainMessage,
  type MainToCoreMessage,
  type SecretRequest,
} from '../../../../src/main/electron/core-channel';
import { createCoreSupervisor, type CoreProcessHandle } from '../../../../src/main/electron/core-supervisor';
import {
  answerSecretRequest,
  keychainUnavailableReason,
  type SafeStorageLike,
} from '../../../../src/main/electron/secret-storage';
import { rejection } from '../../../helpers/rejection';

/** XORs with 0x2a: a stand-in for safeStorage. */
function fakeSafeStorage(overrides: Partial<SafeStorageLike> = {}): SafeStorageLike {
  const flip = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ 0x2a));
  return {
    isEncryptionAvailable: () => true,
    encryptString: (plain) => flip(Buffer.from(plain, 'utf8')),
    decryptString: (sealed) => flip(sealed).toString('utf8'),
    getSelectedStorageBackend: () => 'gnome_libsecret',
    ...overrides,
  };
}

describe('seal/open messages', () => {
  it('parses the requests and the answer, refusing malformed ones', () => {
    expect(parseCoreMessage({ type: 'seal', id: 1, plain: 'rhd_x' })).toEqual({
      type: 'seal',
      id: 1,
      plain: 'rhd_x',
    });
    expect(parseCoreMessage({ type: 'open', id: 2, sealed: 'AAEC' })).toEqual({
      type: 'open',
      id: 2,
      sealed: 'AAEC',
    });
    expect(parseCoreMessage({ type: 'seal', id: 0, plain: 'x' })).toBeUndefined();
    expect(parseCoreMessage({ type: 'seal', id: 1, plain: 3 })).toBeUndefined();
    expect(parseCoreMessage({ type: 'open', id: 1, sealed: 'not base64!' })).toBeUndefined();

    expect(parseMainMessage({ type: 'secret', id: 3, result: { ok: true, value: 'AAEC' } })).toEqual({
      type: 'secret',
      id: 3,
      result: { ok: true, value: 'AAEC' },
    });
    const failed = { ok: false, error: { code: 'INTERNAL', message: 'no keyring' } };
    expect(parseMainMessage({ type: 'secret', id: 3, result: failed })).toEqual({
      type: 'secret',
      id: 3,
      result: failed,
    });
    expect(parseMainMessage({ type: 'secret', id: 3, result: { ok: true, value: 7 } })).toBeUndefined();
    expect(parseMainMessage({ type: 'secret', id: 'x', result: { ok: true, value: '' } })).toBeUndefined();
  });
});

describe('createSealerChannel (core side)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('seals and opens through the main process, with ids and base64 bytes', async () => {
    const sent: SecretRequest[] = [];
    const storage = fakeSafeStorage();
    const secrets = createSealerChannel({ post: (m) => sent.push(m) });
    expect(secrets.sealer.kind).toBe(ELECTRON_SEALER_KIND);

    const sealing = secrets.sealer.seal('rhd_token');
    expect(sent).toEqual([{ type: 'seal', id: 1, plain: 'rhd_token' }]);
    expect(secrets.settle(1, answerSecretRequest(sent[0]!, storage, 'linux'))).toBe(true);
    const sealed = await sealing;
    expect(Buffer.from(sealed).toString('utf8')).not.toContain('rhd_token');

    const opening = secrets.sealer.open(sealed);
    expect(sent[1]).toEqual({ type: 'open', id: 2, sealed: Buffer.from(sealed).toString('base64') });
    secrets.settle(2, answerSecretRequest(sent[1]!, storage, 'linux'));
    await expect(opening).resolves.toBe('rhd_token');
    expect(secrets.pending).toBe(0);
    expect(secrets.settle(2, { ok: true, value: 'late' })).toBe(false);
  });

  it('rejects with the main process error, on time-out and when the port is gone', async () => {
    const sent: SecretRequest[] = [];
    const secrets = createSealerChannel({ post: (m) => sent.push(m), timeoutMs: 1000 });
    const refused = secrets.sealer.seal('x');
    secrets.settle(1, {
      ok: false,
      error: { code: 'INTERNAL', message: 'Cannot seal a secret: no keyring' },
    });
    expect((await rejection(refused)).message).toBe('Cannot seal a secret: no keyring');

    const slow = rejection(secrets.sealer.open(new Uint8Array([1, 2])));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await slow).toMatchObject({ code: 'TIMEOUT' });
    expect((await slow).message).toContain('the Rehearse main process');

    const gone = createSealerChannel({
      post: () => {
        throw new Error('port closed');
      },
    });
    expect((await rejection(gone.sealer.seal('x'))).message).toContain('port closed');
  });
});

describe('answerSecretRequest (main side)', () => {
  it('answers with an error when no OS keychain protects the secret', () => {
    const request: SecretRequest = { type: 'seal', id: 1, plain: 'rhd_x' };
    const basic = fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' });
    expect(keychainUnavailableReason(basic, 'linux')).toContain('basic_text');
    expect(answerSecretRequest(request, basic, 'linux')).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    // The backend is a Linux notion: elsewhere only isEncryptionAvailable counts.
    expect(answerSecretRequest(request, basic, 'darwin').ok).toBe(true);
    const none = fakeSafeStorage({ isEncryptionAvailable: () => false });
    const answer = answerSecretRequest({ type: 'open', id: 2, sealed: 'AA==' }, none, 'win32');
    expect(answer).toMatchObject({ ok: false });
    if (!answer.ok) expect(answer.error.message).toContain('Cannot unlock a secret');
  });

  it('turns a safeStorage exception into an error answer', () => {
    const broken = fakeSafeStorage({
      decryptString: () => {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      },
    });
    const answer = answerSecretRequest({ type: 'open', id: 1, sealed: 'AAEC' }, broken, 'darwin');
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('supervisor relays seal/open', () => {
  function fakeProcess() {
    const posted: MainToCoreMessage[] = [];
    let firstPost: (message: MainToCoreMessage) => void = () => undefined;
    /** Resolves with the first message the supervisor posts to the child: the event, not a poll. */
    const firstPosted = new Promise<MainToCoreMessage>((resolve) => (firstPost = resolve));
    let listener: (message: unknown) => void = () => undefined;
    const handle: CoreProcessHandle = {
      postMessage: (m) => {
        posted.push(m);
        firstPost(m);
      },
      kill: () => undefined,
      onMessage: (l) => (listener = l),
      onExit: () => undefined,
    };
    return { handle, posted, firstPosted, send: (m: unknown) => listener(m) };
  }
  const base = { onEvent: () => undefined, onFatal: () => undefined, onGiveUp: () => undefined };

  it('answers with answerSecret, or with an error without one', async () => {
    const child = fakeProcess();
    const storage = fakeSafeStorage();
    const supervisor = createCoreSupervisor({
      ...base,
      spawn: () => child.handle,
      answerSecret: (request) => answerSecretRequest(request, storage, 'linux'),
    });
    supervisor.start();
    child.send({ type: 'seal', id: 7, plain: 'abc' });
    expect(await child.firstPosted).toEqual({
      type: 'secret',
      id: 7,
      result: { ok: true, value: storage.encryptString('abc').toString('base64') },
    });
    expect(child.posted).toHaveLength(1);

    const bare = fakeProcess();
    createCoreSupervisor({ ...base, spawn: () => bare.handle }).start();
    bare.send({ type: 'open', id: 1, sealed: 'AA==' });
    expect(await bare.firstPosted).toMatchObject({ type: 'secret', id: 1, result: { ok: false } });
    expect(bare.posted).toHaveLength(1);
  });
});
