import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  extensionForMime,
  recordingRelativePath,
  resolveInside,
} from '../../../../../src/main/core/recordings/recording-files';

describe('extensionForMime', () => {
  it.each([
    ['video/webm', 'webm'],
    ['video/webm;codecs=vp9,opus', 'webm'],
    ['VIDEO/MP4', 'mp4'],
    ['audio/wav', 'wav'],
    ['audio/ogg; codecs=opus', 'ogg'],
    ['application/x-unknown', 'bin'],
    ['', 'bin'],
  ])('%s → %s', (mime, ext) => expect(extensionForMime(mime)).toBe(ext));
});

describe('recordingRelativePath', () => {
  it('is <attemptId>/<kind>.<ext> with forward slashes', () => {
    expect(recordingRelativePath('0b1c-22', 'video', 'video/webm')).toBe('0b1c-22/video.webm');
  });
  it.each(['../x', 'a/b', '', '.hidden', 'a\\b'])('rejects the attempt id %j', (id) => {
    expect(() => recordingRelativePath(id, 'audio', 'audio/wav')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('resolveInside', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-paths-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('resolves paths inside the folder, existing or not', () => {
    expect(resolveInside(root, 'a/video.webm')).toBe(path.join(root, 'a', 'video.webm'));
    expect(resolveInside(root, 'a/./b/../video.webm')).toBe(path.join(root, 'a', 'video.webm'));
  });

  it.each(['..', '../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\0', '', '.'])('rejects %j', (p) => {
    expect(() => resolveInside(root, p)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('rejects a symbolic link leading out, accepts one that stays inside', () => {
    fs.mkdirSync(path.join(root, 'a'));
    fs.writeFileSync(path.join(root, 'a', 'real.webm'), 'x');
    fs.symlinkSync(os.tmpdir(), path.join(root, 'out'));
    fs.symlinkSync(path.join(root, 'a', 'real.webm'), path.join(root, 'a', 'alias.webm'));
    expect(() => resolveInside(root, 'out')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(resolveInside(root, 'a/alias.webm')).toBe(path.join(root, 'a', 'alias.webm'));
  });
});
