/**
 * Plain-language messages for zod issues, written for the enablement team that edits the YAML
 * ("must be a positive number" rather than "Too small: expected number to be >0").
 */
import { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of fields',
};

function items(n: number | bigint): string {
  return Number(n) === 1 ? '1 item' : `${n} items`;
}

/** A zod error map: returns a message, or undefined to keep zod's own. */
export const friendlyPackErrorMap: z.core.$ZodErrorMap = (issue: RawIssue) => {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      if (issue.expected === 'int' && typeof issue.input === 'number') return 'must be a whole number';
      if (
        issue.expected === 'string' &&
        (typeof issue.input === 'number' || typeof issue.input === 'boolean')
      )
        return `must be text, not ${describeValue(issue.input)} (put the value in quotes)`;
      const expected = EXPECTED[issue.expected] ?? article(String(issue.expected));
      return `must be ${expected}, not ${describeValue(issue.input)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'number' || issue.origin === 'int') {
        if (min === 0 && !issue.inclusive) return 'must be a positive number';
        return issue.inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
      }
      if (issue.origin === 'string')
        return min <= 1 ? 'must not be empty' : `must be at least ${min} characters long`;
      if (issue.origin === 'array') return `needs at least ${items(min)}`;
      return undefined;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'number' || issue.origin === 'int')
        return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
      if (issue.origin === 'string') {
        const found = typeof issue.input === 'string' ? ` (it has ${issue.input.length})` : '';
        return `must be at most ${max} characters long${found}`;
      }
      if (issue.origin === 'array') {
        const found = Array.isArray(issue.input) ? ` (it has ${issue.input.length})` : '';
        return `may have at most ${items(max)}${found}`;
      }
      return undefined;
    }
    case 'invalid_value': {
      if (issue.input === undefined) return 'is required';
      const values = (issue.values as readonly unknown[]).map((v) => JSON.stringify(v));
      return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}`;
    }
    case 'invalid_union': {
      if (issue.discriminator && 'options' in issue && issue.options) {
        const options = (issue.options as readonly unknown[]).map((v) => JSON.stringify(v)).join(' or ');
        const given =
          issue.input && typeof issue.input === 'object' && issue.discriminator in issue.input
            ? (issue.input as Record<string, unknown>)[issue.discriminator]
            : undefined;
        return given === undefined
          ? `is required (${options})`
          : `must be ${options}, not ${JSON.stringify(given)}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
};

/** Every field name the pack schema knows, for "did you mean" suggestions on unknown fields. */
export function collectFieldNames(schema: z.ZodType): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (s: unknown): void => {
    if (seen.has(s)) return;
    seen.add(s);
    if (s instanceof z.ZodObject) {
      for (const [key, child] of Object.entries(s.shape as Record<string, unknown>)) {
        names.add(key);
        walk(child);
      }
    } else if (s instanceof z.ZodArray) walk(s.element);
    else if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable)
      walk(s.unwrap());
    else if (s instanceof z.ZodUnion) for (const option of s.options) walk(option);
    else if (s instanceof z.ZodPipe) {
      walk(s.in);
      walk(s.out);
    }
  };
  walk(schema);
  return names;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known name, when it is close enough to be a likely typo. */
export function suggestFieldName(unknown: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = name.toLowerCase() === unknown.toLowerCase() ? 0.5 : editDistance(unknown, name);
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(unknown.length / 4)) ? best : undefined;
}
