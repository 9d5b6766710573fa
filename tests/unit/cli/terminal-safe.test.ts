import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { table } from '../../../src/cli/format';
import { createOutput, reportError, terminalSafe } from '../../../src/cli/output';
import { AppError } from '../../../src/shared/errors';

const HOSTILE = 'Fleet\x1b]0;pwned\x07\x1b[2JPulse';
// Raw ESC, BEL, CSI (C1), DEL, carriage return, and the right-to-left override.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

async function capture(write: (out: PassThrough, err: PassThrough) => void): Promise<[string, string]> {
  const out = new PassThrough();
  const err = new PassThrough();
  write(out, err);
  out.end();
  err.end();
  return Promise.all([text(out), text(err)]);
}

describe('terminalSafe', () => {
  it('shows escape sequences and other controls visibly', () => {
    expect(terminalSafe(HOSTILE)).toBe('Fleet\\x1b]0;pwned\\x07\\x1b[2JPulse');
    expect(terminalSafe('a\x9b2Jb\x7fc\u202ed')).toBe('a\\x9b2Jb\\x7fc\\u202ed');
    expect(terminalSafe('over\rwrite')).toBe('over\\rwrite');
  });

  it('escapes newlines in a one-line field, keeps them in a whole output', () => {
    expect(terminalSafe('title\nfake line')).toBe('title\\nfake line');
    expect(terminalSafe('line 1\n\tline 2\x1b[2J', { multiLine: true })).toBe('line 1\n\tline 2\\x1b[2J');
  });

  it('keeps ordinary text, accents and emoji as they are', () => {
    const plain = 'FleetPulse Certified Partner — Sales: ✓ déjà vu 🚚';
    expect(terminalSafe(plain)).toBe(plain);
  });
});

describe('the CLI output layer', () => {
  it('never lets a control character reach the terminal in results, info lines, tables or errors', async () => {
    const [stdout, stderr] = await capture((out, err) => {
      const o = createOutput({ json: false, stdout: out, stderr: err as unknown as NodeJS.WriteStream });
      o.result({}, () => `title: ${HOSTILE}\n${table(['TITLE'], [[`${HOSTILE}\nsecond`]])}`);
      o.info(`importing ${HOSTILE}`);
      reportError(new AppError('INVALID_INPUT', `bad pack ${HOSTILE}`), false, err);
    });
    expect(stdout).not.toMatch(CONTROLS);
    expect(stderr).not.toMatch(CONTROLS);
    expect(stdout).toContain('title: Fleet\\x1b]0;pwned\\x07\\x1b[2JPulse\n');
    expect(stdout).toContain('Fleet\\x1b]0;pwned\\x07\\x1b[2JPulse\\nsecond');
    expect(stderr).toContain('rehearse: bad pack Fleet\\x1b]0;pwned');
  });

  it('--json output stays valid JSON with every control escaped, C1 and bidi overrides included', async () => {
    const value = { title: `${HOSTILE}\x9b\u202e` };
    const [stdout, stderr] = await capture((out, err) => {
      createOutput({ json: true, stdout: out, stderr: err as unknown as NodeJS.WriteStream }).result(
        value,
        () => 'unused',
      );
      reportError(new AppError('INVALID_INPUT', HOSTILE), true, err);
    });
    expect(stdout).not.toMatch(CONTROLS);
    expect(stderr).not.toMatch(CONTROLS);
    expect(JSON.parse(stdout)).toEqual(value);
    expect(stderr.trim().split('\n')).toHaveLength(1); // an error is one JSON line
    expect((JSON.parse(stderr) as { error: { message: string } }).error.message).toBe(HOSTILE);
  });
});
