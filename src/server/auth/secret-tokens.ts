/**
 * Bearer secrets (session cookies, device tokens, invitation tokens): 32 random bytes in base64url
 * behind a short prefix that says what they are (so a leaked one is recognisable in logs or by
 * secret scanners). Only their sha256 is stored; a lookup hashes what the client sent.
 */
import { createHash, randomBytes } from 'node:crypto';

export type TokenKind = 'session' | 'device' | 'invitation';

const PREFIX: Record<TokenKind, string> = { session: 'rhs_', device: 'rhd_', invitation: 'rhi_' };

export function generateToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Cheap shape check before touching the database. */
export function looksLikeToken(kind: TokenKind, value: string): boolean {
  return value.startsWith(PREFIX[kind]) && /^[A-Za-z0-9_-]{43}$/.test(value.slice(PREFIX[kind].length));
}
