import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  coreProcessArgv,
  createCoreChannel,
  parseCoreMessage,
  parseCoreProcessArgv,
  parseMainMessage,
  type MainToCoreMessage,
} from '../../../../src/main/electron/core-channel';

function channelWithOutbox(options: { callTimeoutMs?: number; mediaTimeoutMs?: number } = {}) {
  const sent: MainToCoreMessage[] = [];
  const channel = createCoreChannel({ post: (m) => sent.push(m), ...options });
  return { channel, sent };
}

const idOf = (message: MainToCoreMessage | undefined): number => {
  if (!message || message.type === 'close') throw new Error(`no id in ${JSON.stringify(message)}`);
  return message.id;
};

describe('createCoreChannel', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('posts calls with increasing ids and resolves each with its own result', async () => {
    const { channel, sent } = channelWithOutbox();
    const first = channel.call('app.info', {});
    const second = channel.call('programs.list', {});
    expect(sent).toEqual([
      { type: 'call', id: 1, method: 'app.info', input: {} },
      { type: 'call', id: 2, method: 'programs.list', input: {} },
    ]);
    expect(channel.pending).toBe(2);

    expect(channel.settle(2, { ok: true, value: ['p'] })).toBe(true);
    expect(channel.settle(1, { ok: true, value: { version: '1' } })).toBe(true);
    await expect(first).resolves.toEqual({ ok: true, value: { version: '1' } });
    await expect(second).resolves.toEqual({ ok: true, value: ['p'] });
    expect(channel.pending).toBe(0);
  });

  it('ignores results for unknown or already settled ids', async () => {
    const { channel, sent } = channelWithOutbox();
    const call = channel.call('app.info', {});
    const id = idOf(sent[0]);
    expect(channel.settle(id + 100, { ok: true, value: 'stray' })).toBe(false);
    expect(channel.settle(id, { ok: true, value: 'answer' })).toBe(true);
    expect(channel.settle(id, { ok: true, value: 'again' })).toBe(false);
    await expect(call).resolves.toEqual({ ok: true, value: 'answer' });
  });

  it('answers TIMEOUT when the core does not reply in time, and drops the late reply', async () => {
    const { channel, sent } = channelWithOutbox({ callTimeoutMs: 1_000 });
    const call = channel.call('packs.import', { path: '/x' });
    vi.advanceTimersByTime(999);
    expect(channel.pending).toBe(1);
    vi.advanceTimersByTime(1);
    const result = await call;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('TIMEOUT');
    expect(!result.ok && result.error.message).toContain('packs.import');
    expect(channel.pending).toBe(0);
    expect(channel.settle(idOf(sent[0]), { ok: true, value: 'late' })).toBe(false);
  });

  it('media lookups have their own, shorter time limit', async () => {
    const { channel } = channelWithOutbox({ callTimeoutMs: 60_000, mediaTimeoutMs: 50 });
    const lookup = channel.media('rec-1');
    const call = channel.call('app.info', {});
    vi.advanceTimersByTime(50);
    const media = await lookup;
    expect(!media.ok && media.error.code).toBe('TIMEOUT');
    expect(channel.pending).toBe(1);
    channel.failAll({ code: 'CANCELLED', message: 'closing' });
    await expect(call).resolves.toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('failAll answers every pending call once with the given error (process exit)', async () => {
    const { channel } = channelWithOutbox();
    const calls = [channel.call('app.info', {}), channel.call('models.list', {}), channel.media('r1')];
    const error = { code: 'INTERNAL' as const, message: 'core exited' };
    expect(channel.failAll(error)).toBe(3);
    for (const result of await Promise.all(calls)) expect(result).toEqual({ ok: false, error });
    expect(channel.pending).toBe(0);
    expect(channel.failAll(error)).toBe(0);
    // no timer is left behind to fire later
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers INTERNAL at once when the message cannot be posted', async () => {
    const channel = createCoreChannel({
      post: () => {
        throw new Error('process is gone');
      },
    });
    const result = await channel.call('app.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(!result.ok && result.error.message).toContain('process is gone');
    expect(channel.pending).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('media resolves a well-formed file description and refuses a malformed one', async () => {
    const { channel, sent } = channelWithOutbox();
    const good = channel.media('rec-1');
    expect(sent[0]).toEqual({ type: 'media', id: 1, recordingId: 'rec-1' });
    channel.settle(1, {
      ok: true,
      value: { path: '/data/recordings/a/video.webm', mime: 'video/webm', bytes: 10 },
    });
    await expect(good).resolves.toEqual({
      ok: true,
      value: { path: '/data/recordings/a/video.webm', mime: 'video/webm', bytes: 10 },
    });

    const bad = channel.media('rec-2');
    channel.settle(2, { ok: true, value: { path: 42 } });
    await expect(bad).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });

    const missing = channel.media('rec-3');
    channel.settle(3, { ok: false, error: { code: 'NOT_FOUND', message: 'No recording rec-3' } });
    await expect(missing).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No recording rec-3' },
    });
  });
});

describe('parseCoreMessage', () => {
  it('accepts the four message kinds', () => {
    expect(parseCoreMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(
      parseCoreMessage({ type: 'fatal', error: { code: 'DATA_DIR_LOCKED', message: 'locked' } }),
    ).toEqual({
      type: 'fatal',
      error: { code: 'DATA_DIR_LOCKED', message: 'locked' },
    });
    expect(parseCoreMessage({ type: 'result', id: 3, result: { ok: true, value: null } })).toEqual({
      type: 'result',
      id: 3,
      result: { ok: true, value: null },
    });
    expect(
      parseCoreMessage({ type: 'event', event: 'analysis.progressed', payload: { attemptId: 'a' } }),
    ).toEqual({
      type: 'event',
      event: 'analysis.progressed',
      payload: { attemptId: 'a' },
    });
  });

  it('rejects anything else', () => {
    for (const bad of [
      null,
      'ready',
      [],
      { type: 'nope' },
      { type: 'fatal', error: { code: 'NOT_A_CODE', message: 'x' } },
      { type: 'result', id: 0, result: { ok: true, value: 1 } },
      { type: 'result', id: 1.5, result: { ok: true, value: 1 } },
      { type: 'result', id: 1, result: { ok: true } },
      { type: 'result', id: 1, result: { ok: false, error: 'boom' } },
      { type: 'event', event: 'no-dot', payload: {} },
      { type: 'event', event: 42, payload: {} },
    ])
      expect(parseCoreMessage(bad), JSON.stringify(bad)).toBeUndefined();
  });
});

describe('parseMainMessage', () => {
  it('accepts call, media and close', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(
      parseMainMessage({ type: 'call', id: 1, method: 'capture.append', input: { data: bytes } }),
    ).toEqual({
      type: 'call',
      id: 1,
      method: 'capture.append',
      input: { data: bytes },
    });
    expect(parseMainMessage({ type: 'media', id: 2, recordingId: 'r' })).toEqual({
      type: 'media',
      id: 2,
      recordingId: 'r',
    });
    expect(parseMainMessage({ type: 'close' })).toEqual({ type: 'close' });
  });

  it('rejects malformed messages', () => {
    for (const bad of [
      undefined,
      { type: 'call', id: -1, method: 'app.info' },
      { type: 'call', id: 1, method: '__proto__' },
      { type: 'call', id: 1, method: 7 },
      { type: 'media', id: 1 },
      { type: 'exit' },
    ])
      expect(parseMainMessage(bad), JSON.stringify(bad)).toBeUndefined();
  });
});

describe('core process arguments', () => {
  it('round-trip through argv, with and without a demo pack', () => {
    const withPack = {
      dataDir: '/home/a b/.local/share/rehearse',
      demoPackPath: '/opt/Rehearse/resources/packs/demo',
    };
    expect(parseCoreProcessArgv(['/electron', '/app/core-process.js', ...coreProcessArgv(withPack)])).toEqual(
      withPack,
    );
    expect(
      parseCoreProcessArgv(coreProcessArgv({ dataDir: 'C:\\Users\\a\\AppData\\Roaming\\Rehearse' })),
    ).toEqual({
      dataDir: 'C:\\Users\\a\\AppData\\Roaming\\Rehearse',
    });
  });

  it('are missing when the data folder is not given', () => {
    expect(parseCoreProcessArgv(['/electron', 'core-process.js'])).toBeUndefined();
    expect(parseCoreProcessArgv(['--data-dir'])).toBeUndefined();
    expect(parseCoreProcessArgv(['--data-dir', '--demo-pack', '/x'])).toBeUndefined();
  });
});
