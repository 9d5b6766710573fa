import { describe, expect, it } from 'vitest';
import { formatBytes, formatClock } from '../../../../src/shared/text/format';
import { formatBytes as settingsBytes } from '../../../../src/renderer/src/features/settings/format';
import { formatBytes as cliBytes, formatDuration } from '../../../../src/cli/format';
import { formatClock as workspaceClock } from '../../../../src/workspace/src/lib/format';

describe('shared display formats', () => {
  it('one clock: m:ss, h:mm:ss past an hour, rounded down', () => {
    expect(formatClock(59.6)).toBe('0:59');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(-3)).toBe('0:00');
    expect(workspaceClock(3723)).toBe('1:02:03');
    expect(formatDuration(59.6)).toBe('0:59');
  });

  it('one byte size, in binary units, for the app and the CLI', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_500_000)).toBe('1.4 MiB');
    expect(formatBytes(59_721_011)).toBe('57 MiB');
    expect(settingsBytes(59_721_011)).toBe(cliBytes(59_721_011));
  });
});
