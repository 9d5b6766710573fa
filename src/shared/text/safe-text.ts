/**
 * "Safe text": the one rule for every string a client sends the server (route bodies, path and
 * query parameters, the sync manifest). A string is refused (a zod issue, so a 400) when it holds
 * a NUL or another C0 control character (tab, line feed and carriage return are allowed only in
 * multi-line text), DEL, or a lone UTF-16 surrogate; an accepted string is NFC-normalised. This
 * keeps PostgreSQL (which rejects NUL in text) from answering 500 and keeps both databases from
 * storing mangled text.
 *
 * Passwords are not safe text: they are hashed, never stored, and must not be normalised.
 */
import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface SafeTextOptions {
  /** Allows tab, line feed and carriage return (comments, notes, transcripts). */
  multiline?: boolean;
}

/** Why `value` is not safe text, or undefined when it is. */
export function unsafeTextReason(value: string, options: SafeTextOptions = {}): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  const forbidden = options.multiline ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN;
  if (forbidden.test(value))
    return options.multiline
      ? 'must not contain control characters other than tab and line breaks'
      : 'must not contain control characters (tabs or line breaks included)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (no lone surrogates)';
  return undefined;
}

/**
 * A string schema that refuses unsafe text and normalises to NFC; chain `.trim()`, `.min()`,
 * `.max()`, `.regex()` after it as with `z.string()`.
 */
export function safeText(options: SafeTextOptions = {}): z.ZodString {
  return z
    .string()
    .check((ctx) => {
      const reason = unsafeTextReason(ctx.value, options);
      if (reason) ctx.issues.push({ code: 'custom', message: reason, input: ctx.value });
    })
    .normalize('NFC');
}

/**
 * Every string inside an arbitrary value (keys included) checked as multi-line safe text; for
 * documents whose schemas live elsewhere (a transcript, a scenario pack, free-form metrics).
 * Returns the first offence with its path.
 */
export function findUnsafeText(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; reason: string } | undefined {
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value, { multiline: true });
    return reason ? { path, reason } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnsafeText(item, [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const keyReason = unsafeTextReason(key);
      if (keyReason) return { path: [...path, key], reason: `key ${keyReason}` };
      const found = findUnsafeText(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Wraps a schema so that every string in what it accepts is also safe text (see findUnsafeText). */
export function withSafeStrings<T extends z.ZodType>(schema: T): T {
  return schema.check((ctx) => {
    const found = findUnsafeText(ctx.value);
    if (found) ctx.issues.push({ code: 'custom', message: found.reason, path: found.path, input: ctx.value });
  });
}
