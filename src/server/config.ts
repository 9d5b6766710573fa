/**
 * The server's settings, read from the environment once at start and validated with zod, so a typo
 * fails loudly instead of running with a surprising default.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createOutboundGuard, normaliseAllowEntry } from './integrations/outbound-guard';
import type { XapiTarget } from './integrations/outbox-worker';

const portSchema = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  PORT: portSchema.default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** postgres://… selects PostgreSQL; unset keeps the embedded SQLite file in the data folder. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
  /** The SQLite file (when no DATABASE_URL), the recordings and the unfinished uploads live here. */
  REHEARSE_SERVER_DATA_DIR: z.string().min(1).optional(),
  /** How long a web session lasts, in seconds (default 12 hours). */
  SESSION_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(12 * 3600),
  /** The largest recording a partner may upload, in bytes (default 4 GiB, the protocol's limit). */
  MAX_RECORDING_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(4 * 1024 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set when the server sits behind a reverse proxy, so client IPs and https are taken from it. */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  /** The public URL coaches open (https://review.example.com); cookie-authenticated writes must come from it. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** xAPI: the LRS's base URL (statements are POSTed to `<it>/statements`); unset sends none. */
  XAPI_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** `key:secret` for HTTP Basic (or a whole `Basic …` value). */
  XAPI_AUTH: z.string().min(1).optional(),
  /** The base of the activity IRIs: `<base>/programs/<programId>/scenarios/<scenarioId>`. */
  XAPI_ACTIVITY_BASE: z.url({ protocol: /^https?$/ }).optional(),
  XAPI_ACTOR: z.enum(['mbox_sha1sum', 'account']).default('mbox_sha1sum'),
  /**
   * Hosts the webhooks and the LRS may reach although they are private, loopback or link-local:
   * comma-separated `host:port` (or `host` for any port; IPv6 in brackets). Unset allows none.
   */
  REHEARSE_WEBHOOK_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine(
      (entries) =>
        entries.every((entry) => {
          try {
            normaliseAllowEntry(entry);
            return true;
          } catch {
            return false;
          }
        }),
      'REHEARSE_WEBHOOK_ALLOW_HOSTS must list host or host:port entries, comma-separated',
    ),
  /** How often the integrations' outbox worker looks for work, in milliseconds. */
  INTEGRATIONS_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
});

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sessionTtlSeconds: number;
  maxRecordingBytes: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  trustProxy: boolean;
  /** Unset: writes must come from the request's own Host. */
  publicUrl: string | undefined;
  /** Null when XAPI_ENDPOINT is unset. */
  xapi: XapiTarget | null;
  integrationsPollMs: number;
  /** REHEARSE_WEBHOOK_ALLOW_HOSTS, split: see integrations/outbound-guard.ts. */
  outboundAllowHosts: string[];
}

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'rehearse-server');
}

function reachable(url: string, allowHosts: string[]): boolean {
  try {
    createOutboundGuard({ allowHosts }).checkTarget(url);
    return true;
  } catch {
    return false;
  }
}

/** Throws a zod error naming each bad variable. */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema
    .refine((e) => !e.XAPI_ENDPOINT || e.XAPI_ACTIVITY_BASE, {
      message: 'XAPI_ACTIVITY_BASE is required with XAPI_ENDPOINT',
      path: ['XAPI_ACTIVITY_BASE'],
    })
    .refine((e) => !e.XAPI_ENDPOINT || reachable(e.XAPI_ENDPOINT, e.REHEARSE_WEBHOOK_ALLOW_HOSTS), {
      message:
        'XAPI_ENDPOINT points at a private or internal address; list its host:port in REHEARSE_WEBHOOK_ALLOW_HOSTS',
      path: ['XAPI_ENDPOINT'],
    })
    .parse(env);
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    databaseUrl: parsed.DATABASE_URL,
    dataDir: path.resolve(parsed.REHEARSE_SERVER_DATA_DIR ?? defaultDataDir(env)),
    sessionTtlSeconds: parsed.SESSION_TTL,
    maxRecordingBytes: parsed.MAX_RECORDING_BYTES,
    logLevel: parsed.LOG_LEVEL,
    trustProxy: parsed.TRUST_PROXY,
    publicUrl: parsed.PUBLIC_URL,
    xapi:
      parsed.XAPI_ENDPOINT && parsed.XAPI_ACTIVITY_BASE
        ? {
            endpoint: parsed.XAPI_ENDPOINT,
            auth: parsed.XAPI_AUTH,
            activityBase: parsed.XAPI_ACTIVITY_BASE,
            actor: parsed.XAPI_ACTOR,
          }
        : null,
    integrationsPollMs: parsed.INTEGRATIONS_POLL_MS,
    outboundAllowHosts: parsed.REHEARSE_WEBHOOK_ALLOW_HOSTS,
  };
}
