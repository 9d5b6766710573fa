// The demo pack shipped in resources/packs/demo must load cleanly and stay a useful example:
// every scenario kind the brief promises, rich rubrics and enough phrasings for paraphrase matching.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../../../../src/main/core/packs/pack-loader';
import type { LoadedPack } from '../../../../../src/main/core/packs/pack-loader';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
let loaded: LoadedPack;

beforeAll(async () => {
  loaded = await loadPack(path.join(repoRoot, 'resources/packs/demo'));
});

describe('demo pack', () => {
  it('loads without warnings', () => {
    expect(loaded.warnings).toEqual([]);
    expect(loaded.pack.program).toMatchObject({ vendor: 'Northwind Telematics', product: 'FleetPulse' });
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('covers pitch, two objections, discovery and a demo', () => {
    const kinds = loaded.pack.scenarios.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'objection')).toHaveLength(2);
    for (const kind of ['pitch', 'discovery', 'demo'] as const) expect(kinds).toContain(kind);
  });

  it('gives every scenario a 5-8 criterion rubric mixing checks and ratings', () => {
    for (const s of loaded.pack.scenarios) {
      expect(s.rubric.length, s.id).toBeGreaterThanOrEqual(5);
      expect(s.rubric.length, s.id).toBeLessThanOrEqual(8);
      expect(new Set(s.rubric.map((c) => c.type)), s.id).toEqual(new Set(['check', 'rating']));
      expect(
        s.rubric.some((c) => c.required),
        s.id,
      ).toBe(true);
      expect(
        s.rubric.some((c) => c.checks?.avoidForbiddenPhrases),
        s.id,
      ).toBe(true);
      expect(s.forbiddenPhrases.length, s.id).toBeGreaterThanOrEqual(3);
      expect(s.passMark, s.id).toBeGreaterThan(0);
    }
  });

  it('gives every key message 3-6 distinct phrasings', () => {
    for (const s of loaded.pack.scenarios)
      for (const km of s.keyMessages) {
        expect(km.phrasings.length, `${s.id}/${km.id}`).toBeGreaterThanOrEqual(3);
        expect(km.phrasings.length, `${s.id}/${km.id}`).toBeLessThanOrEqual(6);
        expect(new Set(km.phrasings).size, `${s.id}/${km.id}`).toBe(km.phrasings.length);
      }
  });

  it('scores objections on all four objection steps and has the objection as prompt', () => {
    for (const s of loaded.pack.scenarios.filter((x) => x.kind === 'objection')) {
      expect(s.customerPrompt, s.id).toBeTruthy();
      const steps = s.rubric.flatMap((c) => c.checks?.objectionSteps ?? []);
      expect(new Set(steps), s.id).toEqual(new Set(['acknowledge', 'clarify', 'respond', 'confirm']));
    }
  });

  it('checks the discovery questions', () => {
    const discovery = loaded.pack.scenarios.find((s) => s.kind === 'discovery');
    const checked = new Set(discovery?.rubric.flatMap((c) => c.checks?.questions ?? []));
    expect(discovery?.requiredQuestions.map((q) => q.id).every((id) => checked.has(id))).toBe(true);
  });
});
