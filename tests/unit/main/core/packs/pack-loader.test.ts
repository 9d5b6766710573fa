import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as yaml from 'yaml';
import { isAppError } from '../../../../../src/shared/errors';
import { loadPack, PackValidationError } from '../../../../../src/main/core/packs/pack-loader';
import { rejection } from '../../../../helpers/rejection';

// Wrap parseDocument so tests can tell whether a file was parsed at all.
vi.mock('yaml', async (importOriginal) => {
  const actual = await importOriginal<typeof yaml>();
  return { ...actual, parseDocument: vi.fn(actual.parseDocument) };
});

const minimalFolder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../fixtures/packs/minimal',
);

let dir: string;
let packDir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-packs-'));
  packDir = path.join(dir, 'pack');
  await fs.cp(minimalFolder, packDir, { recursive: true });
  vi.mocked(yaml.parseDocument).mockClear();
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function editPack(edit: (text: string) => string): Promise<string> {
  const file = path.join(packDir, 'pack.yaml');
  await fs.writeFile(file, edit(await fs.readFile(file, 'utf8')));
  return file;
}

const refusal = (target: string) => rejection(loadPack(target), PackValidationError);

describe('loadPack', () => {
  it('loads a folder through its pack.yaml and hashes the bytes', async () => {
    const loaded = await loadPack(packDir);
    const bytes = await fs.readFile(path.join(packDir, 'pack.yaml'));
    expect(loaded.sourcePath).toBe(path.join(packDir, 'pack.yaml'));
    expect(loaded.folder).toBe(packDir);
    expect(loaded.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(loaded.pack.scenarios[0]?.media[0]?.path).toBe('media/line.txt');
    expect(loaded.warnings).toEqual([]);
  });

  it('loads a file path directly, under any name', async () => {
    const other = path.join(packDir, 'acme.yml');
    await fs.rename(path.join(packDir, 'pack.yaml'), other);
    expect((await loadPack(other)).sourcePath).toBe(other);
  });

  it('says NOT_FOUND for a missing path or a folder without pack.yaml', async () => {
    for (const target of [path.join(dir, 'nope'), path.join(packDir, 'media')]) {
      const error = await loadPack(target).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('NOT_FOUND');
    }
  });

  it('names the file as given in every issue', async () => {
    await editPack((t) => t.replace('passMark: 70', 'passMark: -1'));
    const error = await refusal(packDir);
    expect(error.message).toMatch(
      new RegExp(
        `^${packDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/pack\\.yaml:\\d+:15 scenarios\\[0\\]\\.passMark: must be above 0 \\(a pass mark of 0 passes every attempt\\)$`,
      ),
    );
  });

  it('rejects an oversized file before reading or parsing it', async () => {
    const file = path.join(packDir, 'pack.yaml');
    await fs.truncate(file, 2 * 1024 * 1024 + 1); // sparse: cheap to make
    const error = await refusal(packDir);
    expect(error.issues[0]?.message).toBe(
      'file is 2.00 MiB (2097153 bytes); a pack file may be at most 1 MiB (1048576 bytes) — keep media in separate files',
    );
    expect(yaml.parseDocument).not.toHaveBeenCalled();
  });

  it('rejects a binary file and a file that is not UTF-8', async () => {
    const file = path.join(packDir, 'pack.yaml');
    await fs.writeFile(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    expect((await refusal(file)).issues[0]?.message).toMatch(/not a text file/);
    await fs.writeFile(file, Buffer.from('format: rehearse-pack/1\nversion: caf\xe9\n', 'latin1'));
    expect((await refusal(file)).issues[0]?.message).toBe('is not UTF-8 text; save the pack as UTF-8');
    expect(yaml.parseDocument).not.toHaveBeenCalled();
  });

  it('rejects an empty file', async () => {
    const file = await editPack(() => '');
    expect((await refusal(file)).issues[0]?.message).toMatch(/file is empty/);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const file = path.join(packDir, 'pack.yaml');
    await fs.writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await fs.readFile(file)]));
    expect((await loadPack(file)).pack.program.id).toBe('acme-basics');
  });

  describe('media paths', () => {
    const withMedia = (p: string) => editPack((t) => t.replace('path: media/line.txt', `path: ${p}`));

    it.each([
      [
        '"..", escaping the folder',
        '../secret.txt',
        'must not contain ".." (it must stay inside the pack folder)',
      ],
      [
        '".." inside the path',
        'media/../../secret.txt',
        'must not contain ".." (it must stay inside the pack folder)',
      ],
      ['an absolute path', '/etc/passwd', 'must be a relative path'],
      ['a Windows drive path', 'C:/Windows/win.ini', 'must be a relative path'],
    ])('rejects %s', async (_name, media, message) => {
      await withMedia(media);
      const error = await refusal(packDir);
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]).toMatchObject({ path: 'scenarios[0].media[0].path', message });
    });

    it('rejects a symbolic link that leads outside the folder', async () => {
      await fs.writeFile(path.join(dir, 'secret.txt'), 'outside');
      await fs.symlink(path.join(dir, 'secret.txt'), path.join(packDir, 'media', 'escape.txt'));
      const text = await fs.readFile(await withMedia('media/escape.txt'), 'utf8');
      const error = await refusal(packDir);
      expect(error.issues[0]).toMatchObject({
        path: 'scenarios[0].media[0].path',
        line: text.split('\n').findIndex((l) => l.includes('media/escape.txt')) + 1,
        message: 'media file "media/escape.txt" leads outside the pack folder (through a symbolic link)',
      });
    });

    it('rejects a linked folder that leads outside', async () => {
      await fs.mkdir(path.join(dir, 'elsewhere'));
      await fs.writeFile(path.join(dir, 'elsewhere', 'a.txt'), 'outside');
      await fs.symlink(path.join(dir, 'elsewhere'), path.join(packDir, 'linked'));
      await withMedia('linked/a.txt');
      expect((await refusal(packDir)).issues[0]?.message).toMatch(/leads outside the pack folder/);
    });

    it('accepts a symbolic link that stays inside the folder', async () => {
      await fs.symlink(path.join(packDir, 'media', 'line.txt'), path.join(packDir, 'media', 'alias.txt'));
      await withMedia('media/alias.txt');
      expect((await loadPack(packDir)).pack.scenarios[0]?.media[0]?.path).toBe('media/alias.txt');
    });

    it('rejects a missing media file and a folder, naming the field', async () => {
      await editPack((t) =>
        t.replace('      - path: media/line.txt', '      - path: media/missing.png\n      - path: media'),
      );
      const error = await refusal(packDir);
      expect(error.issues.map((i) => [i.path, i.message])).toEqual([
        ['scenarios[0].media[0].path', 'media file "media/missing.png" does not exist in the pack folder'],
        ['scenarios[0].media[1].path', 'media path "media" is not a file'],
      ]);
    });
  });
});
