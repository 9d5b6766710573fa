import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../helpers/run-cli';

const demo = path.join(repoRoot, 'resources/packs/demo');

describe('rehearse packs', () => {
  let dataDir: string;
  let work: string;
  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'rehearse-cli-'));
    dataDir = path.join(work, 'data');
  });
  afterEach(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it('imports the demo pack and lists its programs and scenarios, as text and JSON', async () => {
    const imported = await runCli(['packs', 'import', demo], { dataDir });
    expect(imported.stderr).not.toMatch(/rehearse:/);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/fleetpulse-partner-sales.*created/);

    const again = await runCli(['--json', 'packs', 'import', demo], { dataDir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).imported[0].outcome).toBe('unchanged');

    const programs = await runCli(['--json', 'packs', 'list'], { dataDir });
    const parsed = JSON.parse(programs.stdout) as { programs: Array<{ id: string; scenarioCount: number }> };
    expect(parsed.programs).toHaveLength(1);
    expect(parsed.programs[0]?.id).toBe('fleetpulse-partner-sales');

    const scenarios = await runCli(['--json', 'packs', 'list', '--scenarios'], { dataDir });
    const list = (
      JSON.parse(scenarios.stdout) as { scenarios: Array<{ kind: string; criteriaCount: number }> }
    ).scenarios;
    expect(list.length).toBe(parsed.programs[0]?.scenarioCount);
    expect(new Set(list.map((s) => s.kind))).toEqual(new Set(['pitch', 'objection', 'discovery', 'demo']));
    for (const s of list) expect(s.criteriaCount).toBeGreaterThanOrEqual(5);

    const text = await runCli(['packs', 'list', '--scenarios'], { dataDir });
    expect(text.stdout).toMatch(/objection-price/);
  });

  it('validate reports every problem with file:line and exits 3, importing nothing', async () => {
    const bad = path.join(work, 'bad.yaml');
    const original = await fs.readFile(path.join(demo, 'pack.yaml'), 'utf8');
    // Two independent mistakes: an unknown field and a wrong type.
    const broken = original
      .replace(/passMark: 70/, 'passMark: "seventy"')
      .replace(/^version: (.*)$/m, 'version: $1\nauthor: me');
    await fs.writeFile(bad, broken);
    const result = await runCli(['packs', 'validate', bad], { dataDir });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/bad\.yaml:\d+:\d+ .*passMark/);
    expect(result.stdout).toMatch(/bad\.yaml:\d+:\d+ .*author/);

    const json = await runCli(['--json', 'packs', 'validate', bad, demo], { dataDir });
    expect(json.code).toBe(3);
    const results = (JSON.parse(json.stdout) as { results: Array<{ valid: boolean; problems: string[] }> })
      .results;
    expect(results.map((r) => r.valid)).toEqual([false, true]);
    expect(results[0]?.problems.length).toBeGreaterThanOrEqual(2);

    const imported = await runCli(['packs', 'import', bad], { dataDir });
    expect(imported.code).toBe(3);
    expect(imported.stderr).toMatch(/^rehearse: /m);
    const programs = await runCli(['--json', 'packs', 'list'], { dataDir });
    expect(JSON.parse(programs.stdout).programs).toEqual([]);
  });

  it('a bad import never replaces a good pack already stored', async () => {
    expect((await runCli(['packs', 'import', demo], { dataDir })).code).toBe(0);
    const copy = path.join(work, 'pack');
    await fs.cp(demo, copy, { recursive: true });
    const file = path.join(copy, 'pack.yaml');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/passMark: 70/, 'passMark: 700'));
    expect((await runCli(['packs', 'import', copy], { dataDir })).code).toBe(3);
    const scenarios = await runCli(['--json', 'packs', 'list', '--scenarios'], { dataDir });
    const list = (JSON.parse(scenarios.stdout) as { scenarios: Array<{ passMark: number }> }).scenarios;
    expect(list.every((s) => s.passMark <= 100)).toBe(true);
    expect(list.length).toBeGreaterThan(0);
  });

  it('gives one clear line and a meaningful exit code for usage errors and missing files', async () => {
    const missing = await runCli(['packs', 'import', path.join(work, 'nope')], { dataDir });
    expect(missing.code).toBe(4);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/no scenario pack at/i);

    const usage = await runCli(['packs', 'frobnicate'], { dataDir });
    expect(usage.code).toBe(2);

    const help = await runCli(['--help'], { dataDir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/packs/);
  });

  it('reports a damaged database with exit code 5 and leaves the file as it was', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    const dbFile = path.join(dataDir, 'rehearse.sqlite');
    const garbage = Buffer.from('this is not a database, it is a text file that got in the way'.repeat(100));
    await fs.writeFile(dbFile, garbage);
    const result = await runCli(['packs', 'list'], { dataDir });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/rehearse: .*(damaged|corrupt|not a database)/i);
    expect(await fs.readFile(dbFile)).toEqual(garbage);
  });

  it('shows escape sequences from a pack visibly instead of sending them to the terminal', async () => {
    const copy = path.join(work, 'hostile');
    await fs.cp(demo, copy, { recursive: true });
    const file = path.join(copy, 'pack.yaml');
    // A title that would set the window title to "pwned" and clear the screen.
    const hostile = (await fs.readFile(file, 'utf8')).replace(
      /^ {2}title: FleetPulse Certified Partner — Sales$/m,
      '  title: "FleetPulse\\x1b]0;pwned\\x07\\x1b[2J"',
    );
    expect(hostile).toContain('\\x1b]0;pwned');
    await fs.writeFile(file, hostile);
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

    const validated = await runCli(['packs', 'validate', copy], { dataDir });
    expect(validated.code).toBe(0);
    expect(validated.stdout + validated.stderr).not.toMatch(raw);
    const imported = await runCli(['packs', 'import', copy], { dataDir });
    expect(imported.code).toBe(0);
    expect(imported.stdout + imported.stderr).not.toMatch(raw);
    expect(imported.stdout).toContain('FleetPulse\\x1b]0;pwned\\x07\\x1b[2J');
    const listed = await runCli(['packs', 'list'], { dataDir });
    expect(listed.stdout + listed.stderr).not.toMatch(raw);
    expect(listed.stdout).toContain('FleetPulse\\x1b]0;pwned\\x07\\x1b[2J');
    const json = await runCli(['--json', 'packs', 'list'], { dataDir });
    expect(json.stdout).not.toMatch(raw);
    expect((JSON.parse(json.stdout) as { programs: Array<{ title: string }> }).programs[0]?.title).toBe(
      'FleetPulse\x1b]0;pwned\x07\x1b[2J',
    );
  });
});
