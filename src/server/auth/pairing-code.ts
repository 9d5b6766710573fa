/**
 * Pairing codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as
 * `ABCD-EFGH` and accepted with or without the dash, in any case. 31^8 ≈ 8.5·10^11 codes, valid for
 * 10 minutes, single use, and failed attempts are throttled per address, so guessing is hopeless.
 */
import { randomInt } from 'node:crypto';
import { hashToken } from './secret-tokens';

export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;
export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;

export function generatePairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i += 1)
    code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The canonical form (upper case, no dash or spaces), or null if it cannot be a code. */
export function normalisePairingCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== PAIRING_CODE_LENGTH) return null;
  return [...code].every((c) => PAIRING_ALPHABET.includes(c)) ? code : null;
}

export function hashPairingCode(normalised: string): string {
  return hashToken(`pairing:${normalised}`);
}
