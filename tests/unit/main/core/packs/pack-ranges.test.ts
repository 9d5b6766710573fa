/**
 * Numeric ranges and cross-field rules of a pack: what can never be met is refused with
 * file:line:field, what is merely odd is a warning with the same position.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePackText, PackValidationError } from '../../../../../src/main/core/packs/pack-loader';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/packs');
const minimal = readFileSync(path.join(fixtures, 'minimal/pack.yaml'), 'utf8');
const FILE = 'acme/pack.yaml';

/** The minimal pack with its "value" criterion's checks replaced by these delivery checks. */
function withDelivery(lines: string[]): string {
  const text = minimal.replace(
    '          keyMessages: [less-downtime]\n',
    `          keyMessages: [less-downtime]\n          delivery:\n${lines.map((l) => `            ${l}\n`).join('')}`,
  );
  expect(text).not.toBe(minimal);
  return text;
}

function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`no line with ${needle}`);
  return index + 1;
}

function problems(text: string): string[] {
  try {
    parsePackText(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(PackValidationError);
    return (error as PackValidationError).issues.map((i) => `${i.line}:${i.path}: ${i.message}`);
  }
  throw new Error('expected the pack to be refused');
}

const warnings = (text: string) => parsePackText(text, FILE).warnings;
const D = 'scenarios[0].rubric[0].checks.delivery';

describe('pack ranges', () => {
  it('the minimal pack has no problems and no warnings', () => {
    expect(parsePackText(minimal, FILE).warnings).toEqual([]);
  });

  it('refuses a delivery check whose min is above its max', () => {
    const text = withDelivery(['- metric: wordsPerMinute', '  min: 200', '  max: 100']);
    expect(problems(text)).toEqual([
      `${lineOf(text, 'min: 200')}:${D}[0].min: min 200 is above max 100, so the check can never be met`,
    ]);
  });

  it('refuses a bound no answer can reach: negative maxima, rates above 100 per 100 words, ratios above 1', () => {
    const text = withDelivery([
      '- metric: longestPauseSeconds',
      '  max: -1',
      '- metric: fillersPer100Words',
      '  min: 120',
      '- metric: talkRatio',
      '  min: 1.5',
    ]);
    expect(problems(text)).toEqual([
      `${lineOf(text, 'max: -1')}:${D}[0].max: longestPauseSeconds is never below 0, so max -1 can never be met`,
      `${lineOf(text, 'min: 120')}:${D}[1].min: fillersPer100Words is never above 100, so min 120 can never be met`,
      `${lineOf(text, 'min: 1.5')}:${D}[2].min: talkRatio is never above 1, so min 1.5 can never be met`,
    ]);
  });

  it('refuses a pause longer than the whole answer time, and a fractional question count', () => {
    const text = withDelivery([
      '- metric: longestPauseSeconds',
      '  min: 90',
      '- metric: questionsAsked',
      '  min: 1.5',
    ]);
    expect(problems(text)).toEqual([
      `${lineOf(text, 'min: 90')}:${D}[0].min: a pause of 90 s cannot fit in the 60 s answer time`,
      `${lineOf(text, 'min: 1.5')}:${D}[1].min: questionsAsked counts questions: use a whole number`,
    ]);
  });

  it('refuses a pass mark of 0 (every attempt would pass)', () => {
    const text = minimal.replace('passMark: 70', 'passMark: 0');
    expect(problems(text)).toEqual([
      `${lineOf(text, 'passMark: 0')}:scenarios[0].passMark: must be above 0 (a pass mark of 0 passes every attempt)`,
    ]);
  });

  it('still refuses weights that are not positive and pass marks above 100', () => {
    const text = minimal.replace('passMark: 70', 'passMark: 101').replace('weight: 2', 'weight: 0');
    expect(problems(text).map((p) => p.split(': ')[0])).toEqual([
      `${lineOf(text, 'passMark: 101')}:scenarios[0].passMark`,
      `${lineOf(text, 'weight: 0')}:scenarios[0].rubric[0].weight`,
    ]);
  });

  it('warns about checks that every answer meets and about a metric checked twice', () => {
    const text = withDelivery([
      '- metric: wordsPerMinute',
      '  min: 0',
      '- metric: talkRatio',
      '  max: 1',
      '- metric: wordsPerMinute',
      '  max: 180',
    ]);
    const at = (line: number) => `${FILE}:${line}:`;
    const found = warnings(text);
    expect(found.map((w) => w.replace(/^(.*?:\d+:)\d+ /, '$1 '))).toEqual([
      `${at(lineOf(text, 'min: 0'))} ${D}[0].min: min 0 is met by every answer (wordsPerMinute is never below 0)`,
      `${at(lineOf(text, 'max: 1'))} ${D}[1].max: max 1 is met by every answer (talkRatio is never above 1)`,
      `${at(lineOf(text, 'max: 180') - 1)} ${D}[2].metric: wordsPerMinute is already checked by this criterion (delivery[0])`,
    ]);
  });

  it('warns when two rating levels say the same, and when preparation outlasts a short answer', () => {
    const text = minimal
      .replace('3: Clear with some hesitation.', '3: Clear and steady.')
      .replace('prepSeconds: 30', 'prepSeconds: 600');
    const found = warnings(text);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(
      new RegExp(
        `^${FILE}:${lineOf(text, 'prepSeconds: 600')}:\\d+ scenarios\\[0\\]\\.timing\\.prepSeconds: `,
      ),
    );
    expect(found[1]).toMatch(
      new RegExp(
        `^${FILE}:${lineOf(text, '3: Clear and steady.')}:\\d+ scenarios\\[0\\]\\.rubric\\[2\\]\\.levels\\.3: says the same as level 4`,
      ),
    );
  });
});
