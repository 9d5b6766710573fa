/**
 * Runs an executable (never through a shell) with cancellation and a time limit. On abort or
 * timeout the child gets SIGTERM, then SIGKILL after a grace period, and the promise settles only
 * after the child has exited, so no process outlives the call.
 */
import { spawn } from 'node:child_process';
import { AppError } from '../../../shared/errors';

export interface RunProcessOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with each complete line the child writes to stderr. */
  onStderrLine?: (line: string) => void;
  /** Called once the child is running. */
  onSpawn?: (pid: number) => void;
  /** Milliseconds between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** What is kept of stdout and stderr (the tail). */
  maxOutputBytes?: number;
  /** Names the operation in CANCELLED/TIMEOUT messages. */
  what?: string;
}

export interface ProcessResult {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A spawn failure (binary missing, not executable): `code` is the errno name, e.g. ENOENT. */
export class ProcessStartError extends Error {
  constructor(
    readonly command: string,
    readonly code: string,
    cause: unknown,
  ) {
    super(`cannot start ${command}: ${code}`, { cause });
    this.name = 'ProcessStartError';
  }
}

function tailAppend(buffer: string, chunk: string, max: number): string {
  const next = buffer + chunk;
  return next.length > max ? next.slice(next.length - max) : next;
}

export function runProcess(
  command: string,
  args: readonly string[],
  opts: RunProcessOptions = {},
): Promise<ProcessResult> {
  const what = opts.what ?? command;
  const max = opts.maxOutputBytes ?? 256 * 1024;
  if (opts.signal?.aborted) return Promise.reject(new AppError('CANCELLED', `${what} was cancelled`));

  return new Promise<ProcessResult>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let pendingLine = '';
    let stopReason: AppError | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let startError: NodeJS.ErrnoException | undefined;

    const stop = (reason: AppError) => {
      if (stopReason || child.exitCode !== null || child.signalCode !== null) return;
      stopReason = reason;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 2000);
    };
    const onAbort = () => stop(new AppError('CANCELLED', `${what} was cancelled`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timeout =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              stop(
                new AppError('TIMEOUT', `${what} took longer than ${(opts.timeoutMs! / 1000).toFixed(1)} s`, {
                  hint: 'Try a shorter recording or a smaller model, or raise the time limit',
                }),
              ),
            opts.timeoutMs,
          );

    child.once('spawn', () => {
      if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout = tailAppend(stdout, chunk, max);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr = tailAppend(stderr, chunk, max);
      if (!opts.onStderrLine) return;
      const lines = (pendingLine + chunk).split(/\r?\n|\r/);
      pendingLine = lines.pop() ?? '';
      for (const line of lines) opts.onStderrLine(line);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      // 'close' still follows; remember why it failed.
      startError = error;
    });
    child.once('close', (exitCode, exitSignal) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (pendingLine && opts.onStderrLine) opts.onStderrLine(pendingLine);
      if (stopReason) reject(stopReason);
      else if (startError) reject(new ProcessStartError(command, startError.code ?? 'EUNKNOWN', startError));
      else resolve({ exitCode, exitSignal, stdout, stderr });
    });
  });
}
