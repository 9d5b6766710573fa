import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  formatPackIssues,
  MAX_PACK_BYTES,
  parsePackText,
  PackValidationError,
} from '../../../../../src/main/core/packs/pack-loader';
import type { PackIssue } from '../../../../../src/main/core/packs/pack-loader';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/packs');
const minimal = readFileSync(path.join(fixtures, 'minimal/pack.yaml'), 'utf8');

/** Runs the parser and returns the error it must throw. */
function invalid(text: string, file = 'test/pack.yaml'): PackValidationError {
  try {
    parsePackText(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(PackValidationError);
    return error as PackValidationError;
  }
  throw new Error('expected the pack to be rejected');
}

/** Line number (1-based) of the nth (default first) line of `text` that contains `needle`. */
function lineOf(text: string, needle: string, nth = 1): number {
  const matches = text
    .split('\n')
    .map((l, i) => (l.includes(needle) ? i + 1 : 0))
    .filter((n) => n > 0);
  const line = matches[nth - 1];
  if (line === undefined) throw new Error(`fixture has no line ${nth} with ${needle}`);
  return line;
}

function only(error: PackValidationError): PackIssue {
  expect(error.issues).toHaveLength(1);
  return error.issues[0]!;
}

const HEADER = `format: rehearse-pack/1
version: 1.0.0
program: { id: p, title: P, vendor: V }
`;

describe('parsePackText', () => {
  it('accepts a valid pack and applies defaults', () => {
    const { pack, warnings } = parsePackText(minimal, 'minimal/pack.yaml');
    expect(pack.program.id).toBe('acme-basics');
    expect(pack.locale).toBe('en');
    const scenario = pack.scenarios[0]!;
    expect(scenario.rubric.map((c) => [c.id, c.weight, c.required])).toEqual([
      ['value', 2, true],
      ['compliant', 1, false],
      ['clarity', 1, false],
    ]);
    expect(scenario.requiredQuestions).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('names file, line, column and field path for a wrong value', () => {
    const text = minimal.replace('weight: 2', 'weight: -3');
    const error = invalid(text, 'demo/pack.yaml');
    const issue = only(error);
    expect(issue).toMatchObject({
      file: 'demo/pack.yaml',
      line: lineOf(text, 'weight: -3'),
      column: 17,
      path: 'scenarios[0].rubric[0].weight',
      message: 'must be a positive number',
    });
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toBe(
      `demo/pack.yaml:${issue.line}:17 scenarios[0].rubric[0].weight: must be a positive number`,
    );
    expect(error.hint).toMatch(/packs validate/);
  });

  it('points a missing field at the mapping that should hold it', () => {
    const text = minimal.replace('      answerSeconds: 60\n', '');
    const issue = only(invalid(text));
    expect(issue.path).toBe('scenarios[0].timing.answerSeconds');
    expect(issue.message).toBe('is required');
    expect(issue.line).toBe(lineOf(text, 'timing:'));
  });

  it('points an unknown field at its key and suggests the likely name', () => {
    const text = minimal.replace('passMark: 70', 'pasMark: 70');
    const error = invalid(text);
    const unknown = error.issues.find((i) => i.path === 'scenarios[0].pasMark');
    expect(unknown).toMatchObject({ line: lineOf(text, 'pasMark'), column: 5 });
    expect(unknown?.message).toBe('unknown field "pasMark" (did you mean "passMark"?)');
    // and the real field is reported missing
    expect(error.issues.map((i) => i.path)).toContain('scenarios[0].passMark');
  });

  it('reports every problem, in file order, one line each', () => {
    const text = readFileSync(path.join(fixtures, 'many-problems.yaml'), 'utf8');
    const error = invalid(text, 'many-problems.yaml');
    const lines = formatPackIssues(error.issues);
    expect(lines).toEqual([
      `many-problems.yaml:${lineOf(text, 'program:')}:1 program.vendor: is required`,
      `many-problems.yaml:${lineOf(text, 'id: Acme')}:7 program.id: must be a lower-case slug (a-z, 0-9 and "-", starting with a letter or digit)`,
      `many-problems.yaml:${lineOf(text, 'vendr')}:3 program.vendr: unknown field "vendr" (did you mean "vendor"?)`,
      `many-problems.yaml:${lineOf(text, 'passMark: 170')}:15 scenarios[0].passMark: must be at most 100`,
      `many-problems.yaml:${lineOf(text, 'weight: 0')}:17 scenarios[0].rubric[0].weight: must be a positive number`,
    ]);
    expect(error.message).toBe(`${lines[0]} (and 4 more problems)`);
  });

  it('reports wrong types in plain words', () => {
    const text = minimal
      .replace('passMark: 70', 'passMark: seventy')
      .replace('version: 1.0.0', 'version: 1.0');
    const error = invalid(text);
    const byPath = new Map(error.issues.map((i) => [i.path, i.message]));
    expect(byPath.get('scenarios[0].passMark')).toBe('must be a number, not text "seventy"');
    expect(byPath.get('version')).toBe('must be text, not number 1 (put the value in quotes)');
  });

  it('reports a bad criterion type with the allowed values', () => {
    const text = minimal.replace('type: rating', 'type: score');
    const issue = only(invalid(text));
    expect(issue).toMatchObject({ path: 'scenarios[0].rubric[2].type', line: lineOf(text, 'type: score') });
    expect(issue.message).toBe('must be "check" or "rating", not "score"');
  });

  it('reports duplicate ids and dangling references with their lines', () => {
    const text = minimal
      .replace('- id: compliant', '- id: value')
      .replace('keyMessages: [less-downtime]', 'keyMessages: [less-downtime, more-uptime]');
    const error = invalid(text);
    const lines = formatPackIssues(error.issues);
    expect(lines).toEqual([
      `test/pack.yaml:${lineOf(text, 'more-uptime')}:40 scenarios[0].rubric[0].checks.keyMessages[1]: refers to key message "more-uptime", which this scenario does not define`,
      `test/pack.yaml:${lineOf(text, '- id: value', 2)}:13 scenarios[0].rubric[1].id: duplicate criterion id "value"`,
    ]);
  });

  it('rejects duplicate keys, naming the field', () => {
    const text = minimal.replace('passMark: 70', 'passMark: 70\n    passMark: 80');
    const issue = only(invalid(text));
    expect(issue.line).toBe(lineOf(text, 'passMark: 80'));
    expect(issue.path).toBe('scenarios[0].passMark');
    expect(issue.message).toMatch(/duplicate field/);
  });

  it.each([
    ['!!js/function', 'brief: !!js/function "function () { return 1 }"', '!!js/function'],
    ['a local tag', 'brief: !include other.yaml', '!include'],
    ['!!binary', 'brief: !!binary aGVsbG8=', '!!binary'],
    ['!!set', 'brief: !!set { a, b }', '!!set'],
  ])('rejects custom YAML tags (%s)', (_name, line, shown) => {
    const text = minimal.replace(/brief: .*/, line);
    const issue = only(invalid(text));
    expect(issue.line).toBe(lineOf(text, shown));
    expect(issue.path).toBe('scenarios[0].brief');
    expect(issue.message).toBe(`custom YAML tag ${shown} is not allowed; write plain values`);
  });

  it('allows ordinary YAML anchors and aliases (a shared list of forbidden phrases)', () => {
    const scenario = minimal.slice(minimal.indexOf('  - id: elevator-pitch'));
    const second = scenario
      .replace('id: elevator-pitch', 'id: second-pitch')
      .replace(/forbiddenPhrases:\n(?: {6}.*\n)+/, 'forbiddenPhrases: *rules\n');
    const text = `${minimal.replace('forbiddenPhrases:\n', 'forbiddenPhrases: &rules\n')}${second}`;
    const { pack } = parsePackText(text, 'x.yaml');
    expect(pack.scenarios.map((s) => s.id)).toEqual(['elevator-pitch', 'second-pitch']);
    expect(pack.scenarios[1]?.forbiddenPhrases).toEqual(pack.scenarios[0]?.forbiddenPhrases);
  });

  it('accepts the minimal pack shown in docs/scenario-packs.md', () => {
    const doc = readFileSync(path.resolve(fixtures, '../../../docs/scenario-packs.md'), 'utf8');
    const section = doc.slice(doc.indexOf('### A minimal pack'));
    const yamlBlock = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yamlBlock).toBeDefined();
    const { pack, warnings } = parsePackText(yamlBlock ?? '', 'docs/scenario-packs.md');
    expect(pack.scenarios).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('rejects a YAML alias bomb', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
    ] as const)
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const text = `${HEADER}x-bomb:\n  ${levels.join('\n  ')}\nscenarios: []\n`;
    const issue = only(invalid(text));
    expect(issue.message).toMatch(/alias bomb/);
    expect(issue.line).toBe(lineOf(text, 'b: &b'));
  });

  it('reports YAML syntax errors with line and column', () => {
    const text = minimal.replace('persona:\n', 'persona:\n\t');
    const error = invalid(text);
    expect(error.issues[0]).toMatchObject({ line: lineOf(text, '\t') });
    expect(error.issues[0]!.message).toMatch(/^YAML syntax error: /);
    expect(formatPackIssues(error.issues)[0]).toMatch(/^test\/pack\.yaml:\d+:\d+ /);
  });

  it('rejects a second YAML document', () => {
    const issue = only(invalid(`${minimal}---\nformat: rehearse-pack/1\n`));
    expect(issue.message).toMatch(/single YAML document/);
  });

  it('names the supported formats when the format is newer', () => {
    const text = minimal.replace('format: rehearse-pack/1', 'format: rehearse-pack/2');
    const issue = only(invalid(text));
    expect(issue).toMatchObject({ path: 'format', line: lineOf(text, 'format:') });
    expect(issue.message).toBe(
      '"rehearse-pack/2" is not supported; this version of Rehearse understands rehearse-pack/1 (a newer Rehearse may read it)',
    );
  });

  it('explains a missing format', () => {
    const text = minimal.replace('format: rehearse-pack/1\n', '');
    const issue = only(invalid(text));
    expect(issue.path).toBe('format');
    expect(issue.message).toMatch(/is required; write "format: rehearse-pack\/1"/);
  });

  it.each([
    ['an empty file', '', /file is empty/],
    ['only whitespace', '  \n\n', /file is empty/],
    ['only comments', '# nothing yet\n', /only comments/],
    ['a list', '- a\n- b\n', /must be a YAML mapping/],
    ['a scalar', 'hello\n', /must be a YAML mapping/],
    ['binary content', 'format: x\u0000\u0001\u0002', /not a text file/],
  ])('rejects %s with a clear message', (_name, text, message) => {
    const issue = only(invalid(text));
    expect(issue.message).toMatch(message);
    expect(formatPackIssues([issue])[0]).toMatch(/^test\/pack\.yaml:/);
  });

  it('rejects oversized text, naming the limit', () => {
    const text = `${minimal}\n# ${'x'.repeat(MAX_PACK_BYTES)}\n`;
    const issue = only(invalid(text));
    expect(issue.line).toBeUndefined();
    expect(issue.message).toMatch(/at most 1 MiB \(1048576 bytes\)/);
  });

  it('counts bytes, not characters, against the limit', () => {
    // 400k three-byte characters: under the limit in characters, over it in UTF-8 bytes.
    const text = `${minimal}\n# ${'€'.repeat(400_000)}\n`;
    expect(text.length).toBeLessThan(MAX_PACK_BYTES);
    expect(only(invalid(text)).message).toMatch(/1 MiB/);
  });

  it('warns about unchecked key messages and forbidden phrases in model phrasings', () => {
    const text = minimal
      .replace('keyMessages: [less-downtime]', 'avoidForbiddenPhrases: true')
      .replace(
        "You'll have fewer surprise stoppages on the line.",
        'We offer guaranteed savings on maintenance.',
      );
    const { warnings } = parsePackText(text, 'w.yaml');
    expect(warnings).toEqual([
      `w.yaml:${lineOf(text, 'id: less-downtime')}:13 scenarios[0].keyMessages[0].id: key message "less-downtime" is not checked by any rubric criterion (only the LLM judge will see it)`,
      `w.yaml:${lineOf(text, 'We offer guaranteed')}:13 scenarios[0].keyMessages[0].phrasings[1]: contains the forbidden phrase "guaranteed savings"`,
    ]);
  });
});
