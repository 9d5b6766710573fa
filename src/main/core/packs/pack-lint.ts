/**
 * Advice on a pack that is valid but probably not what its author meant: key messages no criterion
 * checks, a forbidden phrase inside a model phrasing, and similar. Reported as warnings, never errors.
 */
import { DELIVERY_METRIC_RANGES, type ScenarioPack } from '../../../shared/pack/schema';

export interface PackLintFinding {
  path: (string | number)[];
  message: string;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

export function lintPack(pack: ScenarioPack, raw: unknown): PackLintFinding[] {
  const findings: PackLintFinding[] = [];
  const rawScenarios = (raw as { scenarios?: unknown[] } | null)?.scenarios;

  pack.scenarios.forEach((scenario, si) => {
    const base = ['scenarios', si] as (string | number)[];
    const checkedMessages = new Set(scenario.rubric.flatMap((c) => c.checks?.keyMessages ?? []));
    const checkedQuestions = new Set(scenario.rubric.flatMap((c) => c.checks?.questions ?? []));

    scenario.keyMessages.forEach((km, ki) => {
      if (!checkedMessages.has(km.id))
        findings.push({
          path: [...base, 'keyMessages', ki, 'id'],
          message: `key message "${km.id}" is not checked by any rubric criterion (only the LLM judge will see it)`,
        });
      const seen = new Set<string>();
      km.phrasings.forEach((p, pi) => {
        if (seen.has(norm(p)))
          findings.push({
            path: [...base, 'keyMessages', ki, 'phrasings', pi],
            message: 'repeats an earlier phrasing',
          });
        seen.add(norm(p));
      });
    });

    scenario.requiredQuestions.forEach((q, qi) => {
      if (!checkedQuestions.has(q.id))
        findings.push({
          path: [...base, 'requiredQuestions', qi, 'id'],
          message: `question "${q.id}" is not checked by any rubric criterion (only the LLM judge will see it)`,
        });
    });

    // A model answer must never contain a phrase the same scenario forbids.
    const forbidden = scenario.forbiddenPhrases.map((f) => norm(f.phrase));
    const scan = (textValue: string, path: (string | number)[]) => {
      const hit = forbidden.find((f) => norm(textValue).includes(f));
      if (hit) findings.push({ path, message: `contains the forbidden phrase "${hit}"` });
    };
    scenario.keyMessages.forEach((km, ki) => {
      scan(km.text, [...base, 'keyMessages', ki, 'text']);
      km.phrasings.forEach((p, pi) => scan(p, [...base, 'keyMessages', ki, 'phrasings', pi]));
    });
    scenario.requiredQuestions.forEach((q, qi) =>
      q.phrasings.forEach((p, pi) => scan(p, [...base, 'requiredQuestions', qi, 'phrasings', pi])),
    );

    if (scenario.kind === 'objection' && scenario.customerPrompt === undefined)
      findings.push({
        path: [...base, 'kind'],
        message: 'objection scenario has no customerPrompt (the objection itself)',
      });
    if (scenario.kind === 'discovery' && scenario.requiredQuestions.length === 0)
      findings.push({ path: [...base, 'kind'], message: 'discovery scenario lists no requiredQuestions' });

    const { prepSeconds, answerSeconds } = scenario.timing;
    if (prepSeconds > answerSeconds)
      findings.push({
        path: [...base, 'timing', 'prepSeconds'],
        message: `preparation (${prepSeconds} s) is longer than the answer time (${answerSeconds} s)`,
      });

    const rawRubric = (rawScenarios?.[si] as { rubric?: unknown[] } | undefined)?.rubric;
    scenario.rubric.forEach((c, ci) => {
      const checked = new Map<string, number>();
      c.checks?.delivery?.forEach((d, di) => {
        const at = [...base, 'rubric', ci, 'checks', 'delivery', di];
        const range = DELIVERY_METRIC_RANGES[d.metric];
        const first = checked.get(d.metric);
        if (first !== undefined)
          findings.push({
            path: [...at, 'metric'],
            message: `${d.metric} is already checked by this criterion (delivery[${first}])`,
          });
        else checked.set(d.metric, di);
        if (d.min !== undefined && d.min <= range.min)
          findings.push({
            path: [...at, 'min'],
            message: `min ${d.min} is met by every answer (${d.metric} is never below ${range.min})`,
          });
        if (d.max !== undefined && d.max >= range.max)
          findings.push({
            path: [...at, 'max'],
            message: `max ${d.max} is met by every answer (${d.metric} is never above ${range.max})`,
          });
      });
      if (c.type === 'rating') {
        const levels = [1, 2, 3, 4, 5] as const;
        levels.forEach((level, li) => {
          const same = levels.slice(li + 1).find((other) => norm(c.levels[other]) === norm(c.levels[level]));
          if (same !== undefined)
            findings.push({
              path: [...base, 'rubric', ci, 'levels', String(level)],
              message: `says the same as level ${same}: a coach cannot tell the levels apart`,
            });
        });
      }
      const rawCriterion = rawRubric?.[ci] as Record<string, unknown> | undefined;
      if (c.type === 'rating' && !c.required && rawCriterion && 'passLevel' in rawCriterion)
        findings.push({
          path: [...base, 'rubric', ci, 'passLevel'],
          message: 'has no effect because the criterion is not required',
        });
    });
  });
  return findings;
}
