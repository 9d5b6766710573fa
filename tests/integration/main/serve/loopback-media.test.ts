/**
 * /media/<recording> on the loopback host: Range requests as <video> makes them, and a recording
 * file that is (or turns into) a symbolic link never serves anything from outside the folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startServeFixture, type ServeFixture } from './helpers';

let fx: ServeFixture;
let file: string;
let secret: string;

beforeAll(async () => {
  fx = await startServeFixture();
  const recording = (await fx.core.store.recordings.get(fx.recordingId))!;
  file = fx.core.store.recordings.resolvePath(recording.relativePath);
  secret = path.join(fx.work, 'secret.txt');
  fs.writeFileSync(secret, 'SECRET outside the recordings folder');
});
afterAll(async () => {
  await fx.close();
});

const get = (range?: string) =>
  rawRequest(
    fx.host.port,
    [
      `GET /media/${fx.recordingId} HTTP/1.1`,
      `Host: 127.0.0.1:${fx.host.port}`,
      `Authorization: Bearer ${fx.host.token}`,
      ...(range ? [`Range: ${range}`] : []),
    ].join('\r\n'),
  );

describe('/media/<recording>', () => {
  it('answers Range requests with 206 and unsatisfiable ones with 416', async () => {
    const size = fx.recordingBytes.length;
    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['content-type']).toBe('video/webm');
    expect(whole.body.equals(fx.recordingBytes)).toBe(true);

    const part = await get('bytes=10-19');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${size}`);
    expect(part.body.equals(fx.recordingBytes.subarray(10, 20))).toBe(true);

    const tail = await get('bytes=-5');
    expect(tail.status).toBe(206);
    expect(tail.body.equals(fx.recordingBytes.subarray(size - 5))).toBe(true);

    const open = await get(`bytes=${size - 3}-`);
    expect(open.status).toBe(206);
    expect(open.body.equals(fx.recordingBytes.subarray(size - 3))).toBe(true);

    const beyond = await get(`bytes=${size}-`);
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${size}`);
  });

  it('answers 404 (not 500, never the target) when the recording file is a symbolic link', async () => {
    const real = `${file}.real`;
    fs.renameSync(file, real);
    try {
      fs.symlinkSync(secret, file);
      const response = await get();
      expect(response.status).toBe(404);
      expect(response.body.toString()).not.toContain('SECRET');
      fs.rmSync(file);
      // A link to a file inside the folder is refused as well: the file itself must be there.
      fs.symlinkSync(real, file);
      expect((await get()).status).toBe(404);
    } finally {
      fs.rmSync(file, { force: true });
      fs.renameSync(real, file);
    }
  });

  it('never serves a file outside the folder while the path is swapped for a symbolic link', async () => {
    const real = `${file}.real`;
    const link = `${file}.link`;
    fs.renameSync(file, real);
    fs.symlinkSync(secret, link);
    let swapping = true;
    // Flip the recording's path between the real file and the link as fast as the loop allows.
    const swapper = (async () => {
      let useLink = false;
      while (swapping) {
        fs.rmSync(file, { force: true });
        if (useLink) fs.symlinkSync(secret, file);
        else fs.linkSync(real, file);
        useLink = !useLink;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const statuses = new Map<number, number>();
    try {
      for (let i = 0; i < 200; i++) {
        const response = await get(i % 2 ? 'bytes=0-15' : undefined);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.body.toString('latin1'), `request ${i}`).not.toContain('SECRET');
        expect([200, 206, 404], `request ${i}`).toContain(response.status);
      }
    } finally {
      swapping = false;
      await swapper;
      fs.rmSync(file, { force: true });
      fs.rmSync(link, { force: true });
      fs.renameSync(real, file);
    }
    expect(statuses.get(500) ?? 0).toBe(0);
  });

  it('answers 404 for a stored path whose folder is a link out of the recordings folder', async () => {
    const recording = (await fx.core.store.recordings.get(fx.recordingId))!;
    const folder = path.dirname(file);
    const outside = path.join(fx.work, 'elsewhere');
    fs.mkdirSync(outside, { recursive: true });
    fs.copyFileSync(file, path.join(outside, path.basename(recording.relativePath)));
    fs.renameSync(folder, `${folder}.real`);
    try {
      fs.symlinkSync(outside, folder);
      const response = await get();
      expect(response.status).toBe(404);
      expect(response.body.includes(fx.recordingBytes.subarray(0, 64))).toBe(false);
    } finally {
      fs.rmSync(folder, { force: true });
      fs.renameSync(`${folder}.real`, folder);
    }
  });
});
