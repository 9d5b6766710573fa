/** The shared "safe text" rule: controls, NUL and lone surrogates refused, NFC on the way in. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  findUnsafeText,
  safeText,
  unsafeTextReason,
  withSafeStrings,
} from '../../../../src/shared/text/safe-text';

describe('safe text', () => {
  it('refuses NUL, C0 controls, DEL and lone surrogates in single-line text', () => {
    for (const bad of [
      'a\u0000b',
      'a\u0001',
      'tab\there',
      'line\nbreak',
      'cr\r',
      'del\u007f',
      '\ud800',
      'x\udc00y',
      '\udc00\ud800',
    ])
      expect(unsafeTextReason(bad), JSON.stringify(bad)).toBeDefined();
  });

  it('allows tab and line breaks in multi-line text, nothing else', () => {
    expect(unsafeTextReason('one\ttwo\nthree\r\n', { multiline: true })).toBeUndefined();
    expect(unsafeTextReason('bell\u0007', { multiline: true })).toBeDefined();
    expect(unsafeTextReason('nul\u0000', { multiline: true })).toMatch(/NUL/);
  });

  it('accepts ordinary Unicode, paired surrogates included', () => {
    expect(unsafeTextReason('Zoë – 会议 🎤')).toBeUndefined();
  });

  it('normalises to NFC and still chains trim, min and max', () => {
    const schema = safeText().trim().min(1).max(3);
    expect(schema.parse('  Zoe\u0308 ')).toBe('Zoë');
    expect(schema.safeParse('   ').success).toBe(false);
    expect(schema.safeParse('a\u0000').success).toBe(false);
    expect(schema.safeParse('abcd').success).toBe(false);
  });

  it('finds the first unsafe string, or key, anywhere in a document', () => {
    expect(findUnsafeText({ a: [{ b: 'ok' }, { c: 'bad\u0000' }] })).toEqual({
      path: ['a', 1, 'c'],
      reason: 'must not contain NUL characters',
    });
    expect(findUnsafeText({ 'k\u0000': 1 })?.path).toEqual(['k\u0000']);
    expect(findUnsafeText({ a: ['fine\n', 3, null] })).toBeUndefined();
    const wrapped = withSafeStrings(z.object({ items: z.array(z.string()) }));
    const result = wrapped.safeParse({ items: ['x', '\ud800'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['items', 1]);
  });
});
