/**
 * Named loggers (`createLogger('pipeline')`). Lines go to stderr so that stdout stays clean for
 * `--json` output. Level from REHEARSE_LOG (debug, info, warn, error, silent; default warn).
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, 'silent'>;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogSink = (
  line: { time: string; level: Level; name: string; message: string } & Record<string, unknown>,
) => void;

let sink: LogSink = (line) => {
  process.stderr.write(`${JSON.stringify(line)}\n`);
};

/** Replace where log lines go (tests capture them; the server forwards them to its own logger). */
export function setLogSink(next: LogSink): void {
  sink = next;
}

function threshold(): number {
  const name = (process.env.REHEARSE_LOG ?? 'warn').toLowerCase();
  return name in LEVELS ? LEVELS[name as keyof typeof LEVELS] : LEVELS.warn;
}

export function createLogger(name: string): Logger {
  const emit = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < threshold()) return;
    sink({ time: new Date().toISOString(), level, name, message, ...fields });
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
