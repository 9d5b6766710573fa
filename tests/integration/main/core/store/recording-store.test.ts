import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLockHolder } from '../../../../../src/main/core/data-dir/instance-lock';
import { openStore, type Store } from '../../../../../src/main/core/store';
import { upsertProgramWithScenarios } from '../../../../../src/main/core/db/repositories/programs';
import { createAttempt, getAttempt } from '../../../../../src/main/core/db/repositories/attempts';
import { saveTranscript } from '../../../../../src/main/core/db/repositories/analysis';
import { insertRecording } from '../../../../../src/main/core/db/repositories/recordings';
import {
  listQuarantinedRecordings,
  recoverQuarantined,
  RECOVERED_NOTE_PREFIX,
} from '../../../../../src/main/core/capture/recover-service';
import { recoverCaptures } from '../../../../../src/main/core/capture/capture-service';
import { samplePack } from './fixtures/sample-pack';
import { makeTempDir, sha256File } from './helpers';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = makeTempDir();
  store = await openStore({ dataDir: dir });
  await upsertProgramWithScenarios(store.db, { pack: samplePack(), packSha256: 'a'.repeat(64) });
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const newAttempt = () =>
  createAttempt(store.db, { programId: 'acme-cert', scenarioId: 'elevator-pitch', mode: 'practice' });

describe('openStore', () => {
  it('lays out the data folder', () => {
    expect(store.dataDir).toBe(path.resolve(dir));
    for (const p of [store.paths.db, store.paths.recordings, store.paths.tmp, store.paths.lock])
      expect(fs.existsSync(p), p).toBe(true);
    expect(readLockHolder(store.paths.lock)?.pid).toBe(process.pid);
    expect(store.sweep).toEqual({
      removedTempFiles: [],
      quarantinedOrphans: [],
      missingFiles: [],
      sizeMismatches: [],
      failedAttempts: [],
    });
  });

  it('releases the lock on close so the folder can be opened again', async () => {
    await store.close();
    expect(fs.existsSync(path.join(dir, 'rehearse.lock'))).toBe(false);
    store = await openStore({ dataDir: dir });
    expect(fs.existsSync(store.paths.lock)).toBe(true);
  });

  it('refuses a second open of the same folder in the same process', async () => {
    await expect(openStore({ dataDir: dir })).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
  });
});

describe('saving recordings', () => {
  it('writes bytes from a stream, records size and sha256, leaves no temp file', async () => {
    const attempt = await newAttempt();
    const chunks = Array.from({ length: 20 }, () => randomBytes(100_000));
    const recording = await store.recordings.save({
      attemptId: attempt.id,
      kind: 'video',
      mime: 'video/webm;codecs=vp9,opus',
      data: Readable.from(chunks),
    });
    const whole = Buffer.concat(chunks);
    expect(recording).toMatchObject({
      attemptId: attempt.id,
      kind: 'video',
      relativePath: `${attempt.id}/video.webm`,
      bytes: whole.length,
      sha256: createHash('sha256').update(whole).digest('hex'),
    });
    const file = store.recordings.resolvePath(recording.relativePath);
    expect(file).toBe(path.join(store.paths.recordings, attempt.id, 'video.webm'));
    expect(sha256File(file)).toBe(recording.sha256);
    expect(fs.readdirSync(store.paths.tmp)).toEqual([]);
    expect(await store.recordings.list(attempt.id)).toEqual([recording]);
    expect(await store.recordings.get(recording.id)).toEqual(recording);
  });

  it('accepts plain bytes and serves byte ranges', async () => {
    const attempt = await newAttempt();
    const recording = await store.recordings.save({
      attemptId: attempt.id,
      kind: 'audio',
      mime: 'audio/wav',
      data: Buffer.from('0123456789'),
    });
    expect(recording.relativePath.endsWith('/audio.wav')).toBe(true);
    expect(await text(store.recordings.openReadStream(recording.relativePath, { start: 2, end: 5 }))).toBe(
      '2345',
    );
  });

  it('refuses a second recording of the same kind, and unknown attempts', async () => {
    const attempt = await newAttempt();
    await store.recordings.save({
      attemptId: attempt.id,
      kind: 'video',
      mime: 'video/webm',
      data: Buffer.from('a'),
    });
    await expect(
      store.recordings.save({
        attemptId: attempt.id,
        kind: 'video',
        mime: 'video/webm',
        data: Buffer.from('b'),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      store.recordings.save({
        attemptId: 'f'.repeat(8),
        kind: 'video',
        mime: 'video/webm',
        data: Buffer.from('b'),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      store.recordings.save({
        attemptId: '../escape',
        kind: 'video',
        mime: 'video/webm',
        data: Buffer.from('b'),
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(fs.readdirSync(store.paths.tmp)).toEqual([]);
  });

  it('removes the temp file when the source fails or the save is cancelled', async () => {
    const attempt = await newAttempt();
    async function* failing() {
      yield Buffer.alloc(1000);
      throw new Error('camera unplugged');
    }
    await expect(
      store.recordings.save({ attemptId: attempt.id, kind: 'video', mime: 'video/webm', data: failing() }),
    ).rejects.toThrow('camera unplugged');
    const controller = new AbortController();
    async function* cancelled() {
      yield Buffer.alloc(1000);
      controller.abort();
      yield Buffer.alloc(1000);
    }
    await expect(
      store.recordings.save({
        attemptId: attempt.id,
        kind: 'video',
        mime: 'video/webm',
        data: cancelled(),
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fs.readdirSync(store.paths.tmp)).toEqual([]);
    expect(await store.recordings.list(attempt.id)).toEqual([]);
  });
});

describe('path confinement', () => {
  it('rejects paths that leave the recordings folder', () => {
    for (const bad of ['../rehearse.sqlite', '/etc/passwd', 'a/../../x', 'a\0b', ''])
      expect(() => store.recordings.resolvePath(bad), bad).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN' }),
      );
  });

  it('rejects a symbolic link inside the folder that points outside it', () => {
    fs.mkdirSync(path.join(store.paths.recordings, 'x'));
    fs.symlinkSync(store.paths.db, path.join(store.paths.recordings, 'x', 'video.webm'));
    expect(() => store.recordings.openReadStream('x/video.webm')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });
});

describe('deleting attempts', () => {
  it('deletes the rows and the files', async () => {
    const attempt = await newAttempt();
    const keep = await newAttempt();
    await store.recordings.save({
      attemptId: attempt.id,
      kind: 'video',
      mime: 'video/webm',
      data: Buffer.from('v'),
    });
    await store.recordings.save({
      attemptId: attempt.id,
      kind: 'audio',
      mime: 'audio/wav',
      data: Buffer.from('a'),
    });
    await store.recordings.save({
      attemptId: keep.id,
      kind: 'video',
      mime: 'video/webm',
      data: Buffer.from('k'),
    });
    await saveTranscript(store.db, attempt.id, {
      language: 'en',
      durationSeconds: 0,
      segments: [],
      source: 'x',
    });
    expect(await store.recordings.deleteAttempt(attempt.id)).toBe(true);
    expect(await getAttempt(store.db, attempt.id)).toBeUndefined();
    expect(fs.existsSync(path.join(store.paths.recordings, attempt.id))).toBe(false);
    expect((await store.recordings.list()).map((r) => r.attemptId)).toEqual([keep.id]);
    expect(fs.readdirSync(store.paths.recordings)).toEqual([keep.id]);
    expect(await store.recordings.deleteAttempt(attempt.id)).toBe(false);
  });
});

describe('sweep at open', () => {
  it('removes temp files, quarantines unreferenced files, drops rows whose file is gone', async () => {
    const kept = await newAttempt();
    const lost = await newAttempt();
    const keptRec = await store.recordings.save({
      attemptId: kept.id,
      kind: 'video',
      mime: 'video/webm',
      data: Buffer.from('keep me'),
    });
    const lostRec = await store.recordings.save({
      attemptId: lost.id,
      kind: 'video',
      mime: 'video/webm',
      data: Buffer.from('lost'),
    });
    // A row the files of which vanished, a file without a row, a stray folder, a leftover temp file.
    fs.rmSync(store.recordings.resolvePath(lostRec.relativePath));
    fs.writeFileSync(path.join(store.paths.recordings, kept.id, 'audio.wav'), 'orphan');
    fs.mkdirSync(path.join(store.paths.recordings, 'deleted-attempt'));
    fs.writeFileSync(path.join(store.paths.recordings, 'deleted-attempt', 'video.webm'), 'orphan');
    fs.writeFileSync(path.join(store.paths.tmp, 'abc.part'), 'partial');
    fs.writeFileSync(path.join(store.paths.tmp, 'other-module.tmp'), 'not ours');
    await store.close();

    store = await openStore({ dataDir: dir });
    expect(store.sweep.removedTempFiles).toEqual(['abc.part']);
    expect(store.sweep.quarantinedOrphans.sort()).toEqual([`${kept.id}/audio.wav`, 'deleted-attempt'].sort());
    // Never deleted: moved to orphaned-recordings/<day>/, bytes intact.
    const day = path.join(dir, 'orphaned-recordings', new Date().toISOString().slice(0, 10));
    expect(fs.readFileSync(path.join(day, kept.id, 'audio.wav'), 'utf8')).toBe('orphan');
    expect(fs.readFileSync(path.join(day, 'deleted-attempt', 'video.webm'), 'utf8')).toBe('orphan');
    expect(store.sweep.missingFiles).toEqual([
      { recordingId: lostRec.id, attemptId: lost.id, relativePath: lostRec.relativePath },
    ]);
    expect(store.sweep.failedAttempts).toEqual([lost.id]);
    expect((await getAttempt(store.db, lost.id))?.status).toBe('failed');
    expect(await store.recordings.list()).toEqual([keptRec]);
    expect(fs.readdirSync(store.paths.tmp)).toEqual(['other-module.tmp']);
    expect(fs.readdirSync(store.paths.recordings).sort()).toEqual([kept.id, lost.id].sort());
  });

  it('keeps every recording when the database is deleted, and re-imports them as recovered attempts', async () => {
    const first = await newAttempt();
    const second = await newAttempt();
    const video = randomBytes(50_000);
    const audio = Buffer.concat([Buffer.alloc(44), randomBytes(64_000)]);
    await store.recordings.save({ attemptId: first.id, kind: 'video', mime: 'video/webm', data: video });
    await store.recordings.save({ attemptId: first.id, kind: 'audio', mime: 'audio/wav', data: audio });
    await store.recordings.save({ attemptId: second.id, kind: 'video', mime: 'video/webm', data: video });
    await store.close();
    // What the DATABASE_CORRUPT hint tells the user to do: move the database aside, start again.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${store.paths.db}${suffix}`, { force: true });

    store = await openStore({ dataDir: dir });
    expect(store.sweep.quarantinedOrphans.sort()).toEqual([first.id, second.id].sort());
    expect(fs.readdirSync(store.paths.recordings)).toEqual([]);
    const listed = await listQuarantinedRecordings(store);
    const day = new Date().toISOString().slice(0, 10);
    expect(listed).toEqual(
      [
        {
          id: `${day}/${first.id}`,
          day,
          files: [
            { name: 'audio.wav', bytes: audio.length, recording: { kind: 'audio', mime: 'audio/wav' } },
            { name: 'video.webm', bytes: video.length, recording: { kind: 'video', mime: 'video/webm' } },
          ],
        },
        {
          id: `${day}/${second.id}`,
          day,
          files: [
            { name: 'video.webm', bytes: video.length, recording: { kind: 'video', mime: 'video/webm' } },
          ],
        },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );

    // A fresh database has no packs: the pack comes back first, then the recordings.
    await upsertProgramWithScenarios(store.db, { pack: samplePack(), packSha256: 'a'.repeat(64) });
    const recovered = await recoverQuarantined(store, `${day}/${first.id}`, 'acme-cert/elevator-pitch');
    const attempt = await getAttempt(store.db, recovered.attemptId);
    expect(attempt).toMatchObject({ scenarioId: 'elevator-pitch', mode: 'practice', status: 'recorded' });
    expect(attempt?.note).toBe(`${RECOVERED_NOTE_PREFIX}${day}/${first.id}`);
    expect(attempt?.durationSeconds).toBe(2);
    const recordings = await store.recordings.list(recovered.attemptId);
    expect(recordings.map((r) => [r.kind, r.mime, r.bytes]).sort()).toEqual(
      [
        ['audio', 'audio/wav', audio.length],
        ['video', 'video/webm', video.length],
      ].sort(),
    );
    const videoRow = recordings.find((r) => r.kind === 'video');
    expect(fs.readFileSync(store.recordings.resolvePath(videoRow?.relativePath ?? '')).equals(video)).toBe(
      true,
    );
    expect((await listQuarantinedRecordings(store)).map((i) => i.id)).toEqual([`${day}/${second.id}`]);

    // Reopening again keeps both the re-imported attempt and what is still quarantined.
    await store.close();
    store = await openStore({ dataDir: dir });
    expect(store.sweep.quarantinedOrphans).toEqual([]);
    expect(await store.recordings.list(recovered.attemptId)).toHaveLength(2);
    expect((await listQuarantinedRecordings(store)).map((i) => i.id)).toEqual([`${day}/${second.id}`]);
    await expect(recoverQuarantined(store, '../../etc', 'elevator-pitch')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('quarantines the capture parts of an attempt the database does not know', async () => {
    const id = '4f1c2b9e-0000-4000-8000-000000000001';
    fs.mkdirSync(path.join(store.paths.captures, id), { recursive: true });
    fs.writeFileSync(path.join(store.paths.captures, id, 'video.part'), 'half a take');
    expect(await recoverCaptures(store)).toEqual([]);
    expect(fs.readdirSync(store.paths.captures)).toEqual([]);
    const day = new Date().toISOString().slice(0, 10);
    const kept = path.join(dir, 'orphaned-recordings', day, `capture-${id}`, 'video.part');
    expect(fs.readFileSync(kept, 'utf8')).toBe('half a take');
    expect((await listQuarantinedRecordings(store)).map((i) => i.id)).toEqual([`${day}/capture-${id}`]);
    // Parts are not a recording Rehearse can import as is; they stay where they are.
    await expect(recoverQuarantined(store, `${day}/capture-${id}`, 'elevator-pitch')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(fs.existsSync(kept)).toBe(true);
  });

  it('reports a file whose size differs from its row and leaves it alone', async () => {
    const attempt = await newAttempt();
    await insertRecording(store.db, {
      id: 'r1',
      attempt_id: attempt.id,
      kind: 'video',
      mime: 'video/webm',
      relative_path: `${attempt.id}/video.webm`,
      bytes: 99,
      sha256: '0'.repeat(64),
      created_at: new Date().toISOString(),
    });
    fs.mkdirSync(path.join(store.paths.recordings, attempt.id));
    fs.writeFileSync(path.join(store.paths.recordings, attempt.id, 'video.webm'), 'short');
    const report = await store.recordings.sweepOrphans();
    expect(report.sizeMismatches).toEqual([
      { recordingId: 'r1', relativePath: `${attempt.id}/video.webm`, expected: 99, actual: 5 },
    ]);
    expect(await store.recordings.list()).toHaveLength(1);
  });
});
