/**
 * The recording path the app uses, through the same dispatcher as Electron and `rehearse serve`:
 * create an attempt, stream chunks (16 kHz PCM + video bytes), finish, analyse in the background with
 * progress events; plus retries, gaps, discard, and recovery of a recording cut off by a crash.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEventName, ApiOutputs, ApiResult } from '../../../../../src/shared/api/contract';
import { parseWavHeader } from '../../../../../src/main/ai/audio/wav-header';
import { createDeterministicJudge } from '../../../../../src/main/ai/judges/deterministic';
import { createWhisperCliTranscriber } from '../../../../../src/main/ai/transcriber/whisper-cli-transcriber';
import { getAttempt } from '../../../../../src/main/core/db/repositories/attempts';
import { openCore, type Core } from '../../../../../src/main/core/core';
import { importPack } from '../../../../../src/main/core/packs/packs-service';
import { tryMountTmpfs, unmount } from '../store/helpers';
import { ensureWhisperBuilt, fixtures, fixturesPresent, pcmOf, repoRoot } from '../../ai/transcriber/helpers';

const demo = path.join(repoRoot, 'resources/packs/demo');
const SCENARIO = { programId: 'fleetpulse-partner-sales', scenarioId: 'pitch-operations-director' };

async function ok<T>(promise: Promise<ApiResult<unknown>>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('capture and background analysis', () => {
  let work: string;
  let core: Core;
  let events: Array<{ event: ApiEventName; payload: unknown }>;

  const open = async () => {
    core = await openCore({
      dataDir: path.join(work, 'data'),
      transport: 'loopback',
      createPipelineDeps: async (store) => ({
        store,
        transcriber: async () =>
          createWhisperCliTranscriber({ modelPath: fixtures.whisperModel, vadModelPath: fixtures.vadModel }),
        deterministicJudge: createDeterministicJudge(),
        llmJudge: null,
      }),
    });
    events = [];
    core.onEvent((event, payload) => events.push({ event, payload }));
  };

  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-capture-'));
    await open();
    await importPack(core.store, demo);
  });
  afterEach(async () => {
    await core.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  const create = () => ok<ApiOutputs['attempt.create']>(core.dispatch('attempt.create', SCENARIO));
  const append = (attemptId: string, kind: 'audio' | 'video', offset: number, data: Uint8Array) =>
    core.dispatch('capture.append', {
      attemptId,
      kind,
      mime: kind === 'audio' ? 'audio/L16;rate=16000;channels=1' : 'video/webm;codecs=vp8,opus',
      offset,
      data,
    });

  it('streams chunks into a 16 kHz WAV and a video file, idempotently, and refuses gaps', async () => {
    const attempt = await create();
    expect(attempt.status).toBe('recorded');
    const pcm = new Uint8Array(32_000).map((_, i) => i % 251);
    expect(await ok(append(attempt.id, 'audio', 0, pcm.subarray(0, 16_000)))).toEqual({ bytes: 16_000 });
    // The same chunk again (a retry after a lost response) is stored once.
    expect(await ok(append(attempt.id, 'audio', 0, pcm.subarray(0, 16_000)))).toEqual({ bytes: 16_000 });
    const gap = await append(attempt.id, 'audio', 20_000, pcm.subarray(0, 100));
    expect(gap).toMatchObject({ ok: false, error: { code: 'CONFLICT', hint: 'Resend from byte 16000.' } });
    await ok(append(attempt.id, 'audio', 16_000, pcm.subarray(16_000)));
    await ok(append(attempt.id, 'video', 0, new TextEncoder().encode('webm-bytes')));
    const wrongAudio = await core.dispatch('capture.append', {
      attemptId: attempt.id,
      kind: 'audio',
      mime: 'audio/webm',
      offset: 32_000,
      data: new Uint8Array(2),
    });
    expect(wrongAudio).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const detail = await ok<ApiOutputs['capture.finish']>(
      core.dispatch('capture.finish', { attemptId: attempt.id, durationSeconds: 1.04 }),
    );
    expect(detail.durationSeconds).toBe(1);
    expect(detail.recordings.map((r) => [r.kind, r.mime, r.bytes]).sort()).toEqual([
      ['audio', 'audio/wav', 32_044],
      ['video', 'video/webm;codecs=vp8,opus', 10],
    ]);
    const wav = core.store.recordings.resolvePath(`${attempt.id}/audio.wav`);
    const bytes = new Uint8Array(await fs.readFile(wav));
    expect(parseWavHeader(bytes, bytes.length)).toMatchObject({
      sampleRate: 16_000,
      channels: 1,
      bitsPerSample: 16,
      dataBytes: 32_000,
    });
    expect(Buffer.from(bytes.subarray(44)).equals(Buffer.from(pcm))).toBe(true);
    // A finished attempt takes no more bytes.
    expect(await append(attempt.id, 'audio', 32_000, pcm)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await fs.readdir(core.store.paths.captures)).toEqual([]);
  });

  it('refuses to finish a capture with nothing in it, and discards an attempt with its parts', async () => {
    const attempt = await create();
    expect(
      await core.dispatch('capture.finish', { attemptId: attempt.id, durationSeconds: 3 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'MEDIA_INVALID', message: 'Nothing was recorded' },
    });
    await ok(append(attempt.id, 'audio', 0, new Uint8Array(640)));
    expect(await ok(core.dispatch('capture.discard', { attemptId: attempt.id }))).toEqual({
      discarded: true,
    });
    expect(await getAttempt(core.store.db, attempt.id)).toBeUndefined();
    expect(await fs.readdir(core.store.paths.captures)).toEqual([]);
  });

  it('recovers a recording cut off by a crash at the next start, and drops attempts that got nothing', async () => {
    const cut = await create();
    const empty = await create();
    await ok(append(cut.id, 'audio', 0, new Uint8Array(48_001))); // 1.5 s and a torn last byte
    await ok(append(cut.id, 'video', 0, new Uint8Array(100)));
    await core.close(); // the window closed mid-recording: no capture.finish
    await open();
    const detail = await ok<ApiOutputs['attempt.get']>(core.dispatch('attempt.get', { attemptId: cut.id }));
    expect(detail.interrupted).toBe(true);
    expect(detail.durationSeconds).toBe(1.5);
    expect(detail.recordings.find((r) => r.kind === 'audio')?.bytes).toBe(44 + 48_000);
    expect(await getAttempt(core.store.db, empty.id)).toBeUndefined();
  });

  it.skipIf(!fixturesPresent)(
    'analyses a captured recording in the background with whisper.cpp, reporting each stage',
    async () => {
      ensureWhisperBuilt();
      const attempt = await create();
      // Real speech (espeak-ng) as the recorder would send it: 16 kHz PCM in one-second chunks.
      const pcm = pcmOf(fixtures.pitchWav);
      for (let offset = 0; offset < pcm.length; offset += 32_000)
        await ok(append(attempt.id, 'audio', offset, pcm.subarray(offset, offset + 32_000)));
      await ok(
        core.dispatch('capture.finish', { attemptId: attempt.id, durationSeconds: pcm.length / 32_000 }),
      );

      expect(await ok(core.dispatch('analysis.start', { attemptId: attempt.id }))).toEqual({ started: true });
      expect(await ok(core.dispatch('analysis.start', { attemptId: attempt.id }))).toEqual({
        started: false,
      });
      const active = await ok<ApiOutputs['analysis.active']>(core.dispatch('analysis.active', {}));
      expect(active.map((a) => a.attemptId)).toEqual([attempt.id]);
      await core.analysis.settled(attempt.id);

      const progressed = events.filter((e) => e.event === 'analysis.progressed').map((e) => e.payload);
      expect(progressed).toContainEqual(expect.objectContaining({ stage: 'transcribe', status: 'running' }));
      expect(progressed).toContainEqual(expect.objectContaining({ stage: 'transcribe', status: 'done' }));
      // The fixture model has no weights: whisper.cpp runs the full compute and hears no words, so
      // the attempt fails with the message a partner would see, and the recording is kept.
      const finished = events.find((e) => e.event === 'analysis.finished')?.payload;
      expect(finished).toMatchObject({
        attemptId: attempt.id,
        ok: false,
        error: { code: 'MEDIA_INVALID', message: 'No speech was found in the recording' },
      });
      const detail = await ok<ApiOutputs['attempt.get']>(
        core.dispatch('attempt.get', { attemptId: attempt.id }),
      );
      expect(detail.status).toBe('failed');
      expect(detail.recordings).toHaveLength(1);
      expect(await ok(core.dispatch('analysis.active', {}))).toEqual([]);
    },
  );

  it('cancels a queued analysis and says so', async () => {
    const attempt = await create();
    await ok(append(attempt.id, 'audio', 0, new Uint8Array(32_000)));
    await ok(core.dispatch('capture.finish', { attemptId: attempt.id, durationSeconds: 1 }));
    await ok(core.dispatch('analysis.start', { attemptId: attempt.id }));
    expect(await ok(core.dispatch('analysis.cancel', { attemptId: attempt.id }))).toEqual({
      cancelled: true,
    });
    await core.analysis.settled(attempt.id);
    expect(events.find((e) => e.event === 'analysis.finished')?.payload).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect((await getAttempt(core.store.db, attempt.id))?.status).toBe('recorded');
  });
});

describe('a disk that fills up while recording', () => {
  it('refuses the chunk with DISK_FULL, keeps what was stored, and finishes it without extra space', async (ctx) => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-full-'));
    const mount = path.join(base, 'small');
    await fs.mkdir(mount);
    if (!tryMountTmpfs(mount, 'size=3m')) {
      await fs.rm(base, { recursive: true, force: true });
      return ctx.skip('mounting a 3 MiB tmpfs is not permitted here (needs root)');
    }
    const core = await openCore({ dataDir: mount, transport: 'loopback' });
    try {
      await importPack(core.store, demo);
      const attempt = await ok<ApiOutputs['attempt.create']>(core.dispatch('attempt.create', SCENARIO));
      let offset = 0;
      let refused: ApiResult<unknown> | undefined;
      for (let i = 0; i < 100 && !refused; i++) {
        const result = await core.dispatch('capture.append', {
          attemptId: attempt.id,
          kind: 'audio',
          mime: 'audio/L16;rate=16000',
          offset,
          data: new Uint8Array(64_000).fill(7),
        });
        if (result.ok) offset = (result.value as { bytes: number }).bytes;
        else refused = result;
      }
      expect(refused).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
      expect(offset).toBeGreaterThan(0);
      // Finishing moves the part into place by rename: it needs no more room on the full disk.
      const detail = await ok<ApiOutputs['capture.finish']>(
        core.dispatch('capture.finish', { attemptId: attempt.id, durationSeconds: offset / 32_000 }),
      );
      const audio = detail.recordings.find((r) => r.kind === 'audio')!;
      expect(audio.bytes).toBeGreaterThanOrEqual(44 + offset);
    } finally {
      await core.close();
      unmount(mount);
      await fs.rm(base, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!existsSync(demo))('scenario status in the library', () => {
  it('goes from not started to practising with the best score', async () => {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-status-'));
    const core = await openCore({ dataDir: work, transport: 'loopback' });
    try {
      await importPack(core.store, demo);
      const before = await ok<ApiOutputs['scenarios.list']>(core.dispatch('scenarios.list', {}));
      expect(before.every((s) => s.progress.status === 'not-started')).toBe(true);
      await ok(core.dispatch('attempt.create', SCENARIO));
      const after = await ok<ApiOutputs['scenarios.list']>(core.dispatch('scenarios.list', {}));
      expect(after.find((s) => s.id === SCENARIO.scenarioId)?.progress).toMatchObject({
        status: 'practising',
        attempts: 1,
        bestScore: null,
      });
    } finally {
      await core.close();
      await fs.rm(work, { recursive: true, force: true });
    }
  });
});
