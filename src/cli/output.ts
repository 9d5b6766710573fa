/**
 * How the CLI talks: results on stdout (human text or, with --json, one JSON document), progress
 * and errors on stderr, so `--json` output can be piped into other tools.
 *
 * Everything printed goes through `terminalSafe` (human text) or `jsonSafe` (JSON): text from
 * packs, files and servers is not ours, and a control sequence in a pack's title must not clear
 * the screen, retitle the window or rewrite earlier lines. Controls are shown visibly (`\x1b`).
 */
import { SingleBar, Presets } from 'cli-progress';
import { formatErrorLine, serializeError, type SerializedError } from '../shared/errors';
import { exitCodeFor } from './exit-codes';

/**
 * C0 controls (but newline and tab where a text may span lines), DEL, C1 controls (0x9b is CSI on
 * its own), and the Unicode bidirectional overrides and isolates that reorder what is shown.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const MULTI_LINE_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ONE_LINE_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text made safe for a terminal: every control character written visibly (`\x1b`, `\x07`, `\u202e`).
 * `multiLine` keeps newlines and tabs (whole outputs); without it (one field of a line: a title, an
 * id, a table cell) they are escaped too, so a field cannot start a fake line.
 */
export function terminalSafe(text: string, options: { multiLine?: boolean } = {}): string {
  return text.replace(options.multiLine ? MULTI_LINE_UNSAFE : ONE_LINE_UNSAFE, visible);
}

/** JSON.stringify escapes C0 controls already; this escapes C1 controls and bidi overrides too. */
export function jsonSafe(value: unknown, layout: 'pretty' | 'one-line' = 'pretty'): string {
  return JSON.stringify(value, null, layout === 'pretty' ? 2 : undefined).replace(
    JSON_UNSAFE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

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
      stdout.write(options.json ? `${jsonSafe(data)}\n` : `${terminalSafe(human(), { multiLine: true })}\n`);
    },
    info(line) {
      if (!options.json) stderr.write(`${terminalSafe(line, { multiLine: true })}\n`);
    },
    progress(label, total) {
      if (!interactive) {
        // Not a terminal (pipes, CI, --json): no bar, nothing that garbles logs.
        return { update: () => undefined, stop: () => undefined };
      }
      const bar = new SingleBar(
        {
          format: `${terminalSafe(label)} [{bar}] {percentage}% {detail}`,
          stream: stderr,
          hideCursor: true,
          clearOnComplete: true,
        },
        Presets.shades_classic,
      );
      bar.start(Math.max(1, total), 0, { detail: '' });
      return {
        update: (value, detail) => bar.update(value, { detail: terminalSafe(detail ?? '') }),
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
  if (json) stderr.write(`${jsonSafe({ error: serialized }, 'one-line')}\n`);
  else {
    stderr.write(`rehearse: ${terminalSafe(formatErrorLine(serialized), { multiLine: true })}\n`);
    for (const line of serialized.details ?? []) stderr.write(`  ${terminalSafe(line)}\n`);
  }
  return exitCodeFor(serialized.code);
}
