import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEventName } from '../../../../src/shared/api/contract';
import type { SerializedError } from '../../../../src/shared/errors';
import type { MainToCoreMessage } from '../../../../src/main/electron/core-channel';
import {
  createCoreSupervisor,
  type CoreProcessHandle,
  type CoreSupervisorOptions,
} from '../../../../src/main/electron/core-supervisor';

/** A stand-in for a utility process: records what main posts, lets the test answer or crash it. */
class FakeProcess implements CoreProcessHandle {
  readonly posted: MainToCoreMessage[] = [];
  killed = false;
  private messageListeners: Array<(message: unknown) => void> = [];
  private exitListeners: Array<(code: number) => void> = [];
  /** What the fake does when main asks it to close (default: exit 0 like core-process.ts). */
  onClose: () => void = () => this.exit(0);

  postMessage(message: MainToCoreMessage): void {
    this.posted.push(message);
    if (message.type === 'close') this.onClose();
  }
  kill(): void {
    this.killed = true;
    this.exit(143);
  }
  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (code: number) => void): void {
    this.exitListeners.push(listener);
  }
  send(message: unknown): void {
    for (const listener of this.messageListeners) listener(message);
  }
  exit(code: number): void {
    for (const listener of this.exitListeners) listener(code);
  }
  /** Answers the latest call or media message. */
  reply(result: unknown): void {
    const last = [...this.posted].reverse().find((m) => m.type === 'call' || m.type === 'media');
    if (!last) throw new Error('nothing to reply to');
    this.send({ type: 'result', id: last.id, result });
  }
}

function setup(overrides: Partial<CoreSupervisorOptions> = {}) {
  const processes: FakeProcess[] = [];
  const events: Array<[ApiEventName, unknown]> = [];
  const fatal: SerializedError[] = [];
  const gaveUp: SerializedError[] = [];
  const supervisor = createCoreSupervisor({
    spawn: () => {
      const child = new FakeProcess();
      processes.push(child);
      return child;
    },
    onEvent: (event, payload) => events.push([event, payload]),
    onFatal: (error) => fatal.push(error),
    onGiveUp: (error) => gaveUp.push(error),
    closeTimeoutMs: 1_000,
    ...overrides,
  });
  const latest = () => {
    const child = processes.at(-1);
    if (!child) throw new Error('no process started');
    return child;
  };
  return { supervisor, processes, events, fatal, gaveUp, latest };
}

describe('createCoreSupervisor', () => {
  afterEach(() => vi.useRealTimers());

  it('refuses calls before start, then relays calls and forwards events', async () => {
    const { supervisor, latest, events } = setup();
    await expect(supervisor.call('app.info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });

    supervisor.start();
    const child = latest();
    const call = supervisor.call('app.info', {});
    expect(child.posted).toEqual([{ type: 'call', id: 1, method: 'app.info', input: {} }]);
    child.reply({ ok: true, value: { version: '0.1.0' } });
    await expect(call).resolves.toEqual({ ok: true, value: { version: '0.1.0' } });

    child.send({ type: 'event', event: 'attempt.changed', payload: { attemptId: 'a1' } });
    child.send({ type: 'garbage' });
    expect(events).toEqual([['attempt.changed', { attemptId: 'a1' }]]);
  });

  it('after a crash: fails pending calls, finishes running jobs with an error, restarts once', async () => {
    const restarts: number[] = [];
    const { supervisor, processes, latest, events, gaveUp } = setup({
      onRestart: (code) => restarts.push(code),
    });
    supervisor.start();
    const first = latest();

    // a job known from its start call, another one from a progress event, one that finished
    const start = supervisor.call('analysis.start', { attemptId: 'a1' });
    first.reply({ ok: true, value: { started: true } });
    await start;
    first.send({
      type: 'event',
      event: 'analysis.progressed',
      payload: { attemptId: 'a2', stage: 'transcribe' },
    });
    first.send({ type: 'event', event: 'model.progressed', payload: { modelId: 'whisper-base' } });
    first.send({ type: 'event', event: 'analysis.progressed', payload: { attemptId: 'a3' } });
    first.send({ type: 'event', event: 'analysis.finished', payload: { attemptId: 'a3', ok: true } });
    events.length = 0;

    const pending = supervisor.call('attempts.list', {});
    first.exit(134);

    const failed = await pending;
    expect(failed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(!failed.ok && failed.error.message).toContain('134');
    expect(
      events.map(([event, payload]) => [
        event,
        payload as { attemptId?: string; modelId?: string; ok: boolean },
      ]),
    ).toEqual([
      ['analysis.finished', expect.objectContaining({ attemptId: 'a1', ok: false })],
      ['analysis.finished', expect.objectContaining({ attemptId: 'a2', ok: false })],
      ['model.finished', expect.objectContaining({ modelId: 'whisper-base', ok: false })],
    ]);
    const finished = events[0]?.[1] as { error: SerializedError };
    expect(finished.error.code).toBe('INTERNAL');
    expect(finished.error.hint).toContain('Start the analysis again');

    expect(processes).toHaveLength(2);
    expect(restarts).toEqual([134]);
    expect(supervisor.restarts).toBe(1);
    expect(supervisor.state).toBe('running');
    expect(gaveUp).toEqual([]);

    // the new process serves calls
    const again = supervisor.call('app.info', {});
    latest().reply({ ok: true, value: 'fresh' });
    await expect(again).resolves.toEqual({ ok: true, value: 'fresh' });
  });

  it('gives up after the second crash and answers later calls with the failure', async () => {
    const { supervisor, processes, latest, gaveUp, events } = setup();
    supervisor.start();
    latest().exit(1);
    latest().send({ type: 'event', event: 'analysis.progressed', payload: { attemptId: 'a9' } });
    latest().exit(1);

    expect(processes).toHaveLength(2);
    expect(supervisor.state).toBe('failed');
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]?.hint).toContain('start Rehearse again');
    expect(events.at(-1)).toEqual([
      'analysis.finished',
      { attemptId: 'a9', ok: false, error: expect.objectContaining({ code: 'INTERNAL' }) },
    ]);
    const result = await supervisor.call('app.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('a core that cannot open is fatal: no restart, calls get its error', async () => {
    const { supervisor, processes, latest, fatal } = setup();
    supervisor.start();
    const waiting = supervisor.call('app.info', {});
    const locked = { code: 'DATA_DIR_LOCKED' as const, message: 'Another Rehearse instance is using /d' };
    latest().send({ type: 'fatal', error: locked });

    expect(fatal).toEqual([locked]);
    await expect(waiting).resolves.toEqual({ ok: false, error: locked });
    await expect(supervisor.call('app.info', {})).resolves.toEqual({ ok: false, error: locked });
    latest().exit(0);
    expect(processes).toHaveLength(1);
    expect(supervisor.state).toBe('failed');
  });

  it('stop asks the core to close and does not restart it when it exits', async () => {
    const { supervisor, processes, latest } = setup();
    supervisor.start();
    const child = latest();
    await supervisor.stop();
    expect(child.posted.at(-1)).toEqual({ type: 'close' });
    expect(child.killed).toBe(false);
    expect(processes).toHaveLength(1);
    expect(supervisor.state).toBe('stopped');
    await expect(supervisor.call('app.info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
  });

  describe('with fake timers', () => {
    beforeEach(() => vi.useFakeTimers());

    it('stop kills a core that does not close in time', async () => {
      const { supervisor, latest } = setup({ closeTimeoutMs: 2_000 });
      supervisor.start();
      const child = latest();
      child.onClose = () => undefined; // hangs
      const pending = supervisor.call('practice.deleteAll', { confirm: true });
      const stopped = supervisor.stop();
      expect(supervisor.stop()).toBe(stopped);
      await vi.advanceTimersByTimeAsync(1_999);
      expect(child.killed).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await stopped;
      expect(child.killed).toBe(true);
      expect(supervisor.state).toBe('stopped');
      await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    });

    it('a call the core never answers times out', async () => {
      const { supervisor } = setup({ callTimeoutMs: 30_000 });
      supervisor.start();
      const call = supervisor.call('storage.usage', {});
      await vi.advanceTimersByTimeAsync(30_000);
      await expect(call).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    });
  });
});
