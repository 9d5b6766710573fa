import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAttempt } from '../../../src/main/core/db/repositories/attempts';
import { importPack } from '../../../src/main/core/packs/packs-service';
import { openStore } from '../../../src/main/core/store';
import { repoRoot, runCli } from '../../helpers/run-cli';

const demo = path.join(repoRoot, 'resources/packs/demo');

/** Two practice attempts with recordings, made through the same core services the app uses. */
async function seed(dataDir: string): Promise<{ ids: string[]; video: Buffer }> {
  const store = await openStore({ dataDir });
  try {
    await importPack(store, demo);
    const video = Buffer.alloc(3 * 1024 * 1024, 7);
    const ids: string[] = [];
    for (const scenarioId of ['pitch-operations-director', 'objection-price']) {
      const attempt = await createAttempt(store.db, {
        programId: 'fleetpulse-partner-sales',
        scenarioId,
        mode: 'practice',
        durationSeconds: 61,
      });
      await store.recordings.save({ attemptId: attempt.id, kind: 'video', mime: 'video/webm', data: video });
      await store.recordings.save({
        attemptId: attempt.id,
        kind: 'audio',
        mime: 'audio/wav',
        data: Buffer.from('RIFF....WAVE'),
      });
      ids.push(attempt.id);
    }
    return { ids, video };
  } finally {
    await store.close();
  }
}

describe('rehearse attempts', () => {
  let work: string;
  let dataDir: string;
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-cli-'));
    dataDir = path.join(work, 'data');
  });
  afterEach(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it('lists, shows, exports and deletes attempts', async () => {
    const { ids, video } = await seed(dataDir);
    const [first, second] = ids as [string, string];

    const list = await runCli(['--json', 'attempts', 'list'], { dataDir });
    expect(list.code).toBe(0);
    const attempts = (JSON.parse(list.stdout) as { attempts: Array<{ id: string; scenarioId: string }> })
      .attempts;
    expect(attempts.map((a) => a.id).sort()).toEqual([...ids].sort());

    const filtered = await runCli(['--json', 'attempts', 'list', '--scenario', 'objection-price'], {
      dataDir,
    });
    expect((JSON.parse(filtered.stdout) as { attempts: unknown[] }).attempts).toHaveLength(1);

    const show = await runCli(['attempts', 'show', first.slice(0, 8)], { dataDir });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(first);
    expect(show.stdout).toMatch(/video video\/webm 3\.0 MiB/);

    const out = path.join(work, 'export');
    await fs.mkdir(out);
    const exported = await runCli(['--json', 'attempts', 'export', first, '--out', out], { dataDir });
    expect(exported.code).toBe(0);
    const folder = (JSON.parse(exported.stdout) as { folder: string }).folder;
    const doc = JSON.parse(await fs.readFile(path.join(folder, 'attempt.json'), 'utf8')) as {
      attempt: { id: string };
      files: string[];
    };
    expect(doc.attempt.id).toBe(first);
    const copied = await fs.readFile(path.join(folder, 'video.webm'));
    expect(createHash('sha256').update(copied).digest('hex')).toBe(
      createHash('sha256').update(video).digest('hex'),
    );
    expect((await fs.readdir(out)).filter((n) => n.startsWith('.'))).toEqual([]);

    const again = await runCli(['attempts', 'export', first, '--out', out], { dataDir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);

    const del = await runCli(['attempts', 'delete', second], { dataDir });
    expect(del.code).toBe(0);
    expect(await fs.readdir(path.join(dataDir, 'recordings'))).not.toContain(second);
    const after = await runCli(['--json', 'attempts', 'list'], { dataDir });
    expect(
      (JSON.parse(after.stdout) as { attempts: Array<{ id: string }> }).attempts.map((a) => a.id),
    ).toEqual([first]);

    const missing = await runCli(['attempts', 'show', 'does-not-exist'], { dataDir });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/No attempt/);
  });

  it('refuses a second instance on the same data folder with exit code 5', async () => {
    await seed(dataDir);
    const holder = await openStore({ dataDir });
    try {
      const result = await runCli(['attempts', 'list'], { dataDir });
      expect(result.code).toBe(5);
      expect(result.stderr).toMatch(/Another Rehearse instance/);
    } finally {
      await holder.close();
    }
    expect((await runCli(['attempts', 'list'], { dataDir })).code).toBe(0);
  });

  it('rejects a bad option value with exit code 2', async () => {
    const result = await runCli(['attempts', 'list', '--mode', 'rehearsal'], { dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--mode must be practice or formal/);
  });

  it('recovers the recordings of a lost database: lists them, then re-imports them as attempts', async () => {
    const { ids, video } = await seed(dataDir);
    for (const suffix of ['', '-wal', '-shm'])
      await fs.rm(path.join(dataDir, `rehearse.sqlite${suffix}`), { force: true });

    // The fresh database knows nothing: the recordings are quarantined, not deleted.
    expect(JSON.parse((await runCli(['--json', 'attempts', 'list'], { dataDir })).stdout)).toEqual({
      attempts: [],
    });
    const listed = await runCli(['--json', 'attempts', 'recover'], { dataDir });
    expect(listed.code).toBe(0);
    const items = (JSON.parse(listed.stdout) as { quarantined: Array<{ id: string; files: unknown[] }> })
      .quarantined;
    expect(items.map((i) => i.id.split('/')[1]).sort()).toEqual([...ids].sort());
    expect(items.every((i) => i.files.length === 2)).toBe(true);
    const human = await runCli(['attempts', 'recover'], { dataDir });
    expect(human.stdout).toContain(items[0]?.id);
    expect(human.stdout).toContain('video.webm 3.0 MiB');

    const noScenario = await runCli(['attempts', 'recover', '--all'], { dataDir });
    expect(noScenario.code).toBe(2);
    expect(noScenario.stderr).toContain('--scenario');

    expect((await runCli(['packs', 'import', demo], { dataDir })).code).toBe(0);
    const recovered = await runCli(
      ['--json', 'attempts', 'recover', '--all', '--scenario', 'pitch-operations-director'],
      { dataDir },
    );
    expect(recovered.code).toBe(0);
    const made = (JSON.parse(recovered.stdout) as { recovered: Array<{ attemptId: string }> }).recovered;
    expect(made).toHaveLength(2);

    const after = JSON.parse((await runCli(['--json', 'attempts', 'list'], { dataDir })).stdout) as {
      attempts: Array<{ id: string; scenarioId: string; status: string }>;
    };
    expect(after.attempts.map((a) => a.id).sort()).toEqual(made.map((m) => m.attemptId).sort());
    expect(after.attempts.every((a) => a.scenarioId === 'pitch-operations-director')).toBe(true);
    const out = path.join(work, 'export');
    const first = made[0]?.attemptId ?? '';
    expect((await runCli(['attempts', 'export', first, '--out', out], { dataDir })).code).toBe(0);
    const exported = await fs.readdir(path.join(out, (await fs.readdir(out))[0] ?? ''));
    expect(exported).toContain('video.webm');
    const bytes = await fs.readFile(path.join(out, (await fs.readdir(out))[0] ?? '', 'video.webm'));
    expect(bytes.equals(video)).toBe(true);
    expect(JSON.parse((await runCli(['--json', 'attempts', 'recover'], { dataDir })).stdout)).toEqual({
      quarantined: [],
    });
  });
});
