import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isInsideFolder,
  parseMediaUrl,
  parseRange,
  planMediaResponse,
  statusForError,
} from '../../../../src/main/electron/media-range';

const id = '3f2b8c1e-9d4a-4b6f-8e2a-1c5d7e9f0a1b';

describe('parseMediaUrl', () => {
  it('reads the recording id', () => {
    expect(parseMediaUrl(`rehearse-media://recording/${id}`)).toEqual({ recordingId: id });
    expect(parseMediaUrl(`rehearse-media://recording/${id}/`)).toEqual({ recordingId: id });
    expect(parseMediaUrl(`rehearse-media://recording/${id}?t=3#x`)).toEqual({ recordingId: id });
    expect(parseMediaUrl(`rehearse-media://RECORDING/${id}`)).toEqual({ recordingId: id });
  });

  it('refuses other hosts, schemes, paths and ids', () => {
    for (const url of [
      `https://recording/${id}`,
      `rehearse-media://other/${id}`,
      'rehearse-media://recording/',
      `rehearse-media://recording/a/${id}`,
      'rehearse-media://recording/..%2F..%2Fetc%2Fpasswd',
      'rehearse-media://recording/%2e%2e',
      'rehearse-media://recording/..',
      'rehearse-media://recording/a%00b',
      'rehearse-media://recording/%E0%A4%A',
      `rehearse-media://user:pw@recording/${id}`,
      `rehearse-media://recording:8080/${id}`,
      `rehearse-media://recording/${'a'.repeat(65)}`,
      'not a url',
    ])
      expect(parseMediaUrl(url), url).toBeUndefined();
  });
});

describe('parseRange', () => {
  const size = 1000;

  it('sends everything without a Range header', () => {
    expect(parseRange(null, size)).toEqual({ kind: 'full' });
    expect(parseRange(undefined, size)).toEqual({ kind: 'full' });
  });

  it('reads first-last, open-ended and suffix ranges', () => {
    expect(parseRange('bytes=0-499', size)).toEqual({ kind: 'partial', start: 0, end: 499 });
    expect(parseRange('bytes=500-', size)).toEqual({ kind: 'partial', start: 500, end: 999 });
    expect(parseRange('bytes=0-', size)).toEqual({ kind: 'partial', start: 0, end: 999 });
    expect(parseRange('bytes=-200', size)).toEqual({ kind: 'partial', start: 800, end: 999 });
    expect(parseRange('Bytes = 10 - 20', size)).toEqual({ kind: 'partial', start: 10, end: 20 });
    expect(parseRange('bytes=999-999', size)).toEqual({ kind: 'partial', start: 999, end: 999 });
  });

  it('clamps an end or a suffix past the file', () => {
    expect(parseRange('bytes=900-5000', size)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=-5000', size)).toEqual({ kind: 'partial', start: 0, end: 999 });
  });

  it('is unsatisfiable when the range starts past the end or asks for no bytes', () => {
    expect(parseRange('bytes=1000-', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=1000-1200', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores malformed headers, other units and multiple ranges (whole file)', () => {
    for (const header of [
      '',
      'bytes',
      'bytes=',
      'bytes=-',
      'bytes=abc-def',
      'bytes=5',
      'bytes=10-5',
      'bytes=1.5-3',
      'bytes=-1-2',
      'bytes=+1-2',
      'items=0-10',
      'bytes=0-10,20-30',
      'bytes=0x10-20',
      `bytes=0-${'9'.repeat(30)}`,
    ])
      expect(parseRange(header, size), header).toEqual({ kind: 'full' });
  });
});

describe('planMediaResponse', () => {
  it('200 with the whole file', () => {
    expect(planMediaResponse(null, 1234, 'video/webm')).toEqual({
      status: 200,
      headers: expect.objectContaining({
        'content-type': 'video/webm',
        'content-length': '1234',
        'accept-ranges': 'bytes',
      }),
      range: { start: 0, end: 1233 },
    });
  });

  it('206 with Content-Range for a range', () => {
    const plan = planMediaResponse('bytes=100-199', 1234, 'audio/wav');
    expect(plan.status).toBe(206);
    expect(plan.range).toEqual({ start: 100, end: 199 });
    expect(plan.headers).toMatchObject({
      'content-range': 'bytes 100-199/1234',
      'content-length': '100',
      'content-type': 'audio/wav',
    });
  });

  it('416 with the size for an unsatisfiable range', () => {
    const plan = planMediaResponse('bytes=5000-', 1234, 'video/webm');
    expect(plan.status).toBe(416);
    expect(plan.range).toBeUndefined();
    expect(plan.headers['content-range']).toBe('bytes */1234');
  });

  it('an empty file has no byte range to stream', () => {
    const plan = planMediaResponse(null, 0, 'video/webm');
    expect(plan.status).toBe(200);
    expect(plan.range).toBeUndefined();
    expect(plan.headers['content-length']).toBe('0');
  });
});

describe('statusForError', () => {
  it('maps the error codes a lookup can end with', () => {
    expect(statusForError('NOT_FOUND')).toBe(404);
    expect(statusForError('FORBIDDEN')).toBe(403);
    expect(statusForError('INVALID_INPUT')).toBe(400);
    expect(statusForError('TIMEOUT')).toBe(504);
    expect(statusForError('DATABASE_CORRUPT')).toBe(500);
  });
});

describe('isInsideFolder', () => {
  it('accepts files below the folder (POSIX)', () => {
    expect(isInsideFolder('/data/recordings', '/data/recordings/a1/video.webm', path.posix)).toBe(true);
    expect(isInsideFolder('/data/recordings/', '/data/recordings/a1/../a2/audio.wav', path.posix)).toBe(true);
    expect(isInsideFolder('/data/recordings', '/data/recordings/..hidden', path.posix)).toBe(true);
  });

  it('refuses the folder itself, parents, siblings and escapes (POSIX)', () => {
    for (const candidate of [
      '/data/recordings',
      '/data',
      '/data/recordings-old/a.webm',
      '/data/recordings/../rehearse.sqlite',
      '/data/recordings/a1/../../rehearse.sqlite',
      '/etc/passwd',
    ])
      expect(isInsideFolder('/data/recordings', candidate, path.posix), candidate).toBe(false);
  });

  it('refuses other drives and escapes (Windows)', () => {
    const root = 'C:\\Users\\a\\AppData\\Roaming\\Rehearse\\recordings';
    expect(isInsideFolder(root, `${root}\\a1\\video.webm`, path.win32)).toBe(true);
    expect(
      isInsideFolder(root, 'c:\\users\\a\\appdata\\roaming\\rehearse\\recordings\\a1\\v.webm', path.win32),
    ).toBe(true);
    expect(isInsideFolder(root, `${root}\\..\\rehearse.sqlite`, path.win32)).toBe(false);
    expect(
      isInsideFolder(root, 'D:\\Users\\a\\AppData\\Roaming\\Rehearse\\recordings\\a1\\v.webm', path.win32),
    ).toBe(false);
  });
});
