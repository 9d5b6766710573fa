/**
 * How the CLI talks: results on stdout (human text or, with --json, one JSON document), progress
 * and errors on stderr, so `--json` output can be piped into other tools.
 */
import { SingleBar, Presets } from 'cli-progress';
import { formatErrorLine, serializeError, type SerializedError } from '../shared/errors';
import { exitCodeFor } from './exit-codes';

export interface Output {
  readonly json: boolean;
  /** Print a result: `human` as text, or `data` as JSON with --json. */
  result(data: unknown, human: () => string): void;
  /** An informational line for people (stderr; silent with --json). */
  info(line: string): void;
  progress(label: string, total: number): Progress;
}

export interface Progress {
  update(value: number, detail?: string): void;
  stop(): void;
}

export function createOutput(options: {
  json: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const interactive = Boolean((stderr as NodeJS.WriteStream).isTTY) && !options.json && !process.env.CI;
  return {
    json: options.json,
    result(data, human) {
      stdout.write(options.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
    },
    info(line) {
      if (!options.json) stderr.write(`${line}\n`);
    },
    progress(label, total) {
      if (!interactive) {
        // Not a terminal (pipes, CI, --json): no bar, nothing that garbles logs.
        return { update: () => undefined, stop: () => undefined };
      }
      const bar = new SingleBar(
        {
          format: `${label} [{bar}] {percentage}% {detail}`,
          stream: stderr,
          hideCursor: true,
          clearOnComplete: true,
        },
        Presets.shades_classic,
      );
      bar.start(Math.max(1, total), 0, { detail: '' });
      return {
        update: (value, detail) => bar.update(value, { detail: detail ?? '' }),
        stop: () => bar.stop(),
      };
    },
  };
}

/** Prints an error (one line, or JSON with --json) and returns the exit code for it. */
export function reportError(
  error: unknown,
  json: boolean,
  stderr: NodeJS.WritableStream = process.stderr,
): number {
  const serialized: SerializedError & { details?: string[] } = serializeError(error);
  const details = (error as { details?: unknown }).details;
  if (Array.isArray(details)) serialized.details = details.map(String);
  if (json) stderr.write(`${JSON.stringify({ error: serialized })}\n`);
  else {
    stderr.write(`rehearse: ${formatErrorLine(serialized)}\n`);
    for (const line of serialized.details ?? []) stderr.write(`  ${line}\n`);
  }
  return exitCodeFor(serialized.code);
}
