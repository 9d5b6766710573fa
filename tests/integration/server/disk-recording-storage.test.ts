import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiskRecordingStorage } from '../../../src/server/storage/disk-recording-storage';
import type { RecordingStorage } from '../../../src/server/storage/recording-storage';

describe('disk recording storage', () => {
  let root: string;
  let storage: RecordingStorage;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-storage-'));
    storage = createDiskRecordingStorage(path.join(root, 'recordings'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes, stats, reads and removes objects, leaving no temp files', async () => {
    expect(await storage.write('org-1/sub-1/audio.wav', new TextEncoder().encode('hello'))).toEqual({
      key: 'org-1/sub-1/audio.wav',
      bytes: 5,
    });
    await storage.write('org-1/sub-1/video.webm', Readable.from([Buffer.from('abc'), Buffer.from('def')]));
    expect(await storage.stat('org-1/sub-1/video.webm')).toEqual({ key: 'org-1/sub-1/video.webm', bytes: 6 });
    expect(await text(await storage.read('org-1/sub-1/audio.wav'))).toBe('hello');
    expect(fs.readdirSync(path.join(root, 'recordings', '.tmp'))).toEqual([]);
    await storage.remove('org-1/sub-1/audio.wav');
    await storage.remove('org-1/sub-1/audio.wav');
    expect(await storage.stat('org-1/sub-1/audio.wav')).toBeNull();
    await expect(storage.read('org-1/sub-1/audio.wav')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses keys that could leave its folder', async () => {
    fs.writeFileSync(path.join(root, 'secret.txt'), 'secret');
    for (const key of [
      '../secret.txt',
      'a/../../secret.txt',
      '/etc/passwd',
      '.tmp/x',
      'a//b',
      '',
      'a\\..\\b',
    ]) {
      await expect(storage.write(key, new Uint8Array([1])), key).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await expect(storage.stat(key), key).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(fs.readFileSync(path.join(root, 'secret.txt'), 'utf8')).toBe('secret');
  });
});
