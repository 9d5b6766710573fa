/**
 * Scenario pack format `rehearse-pack/1` (documented in docs/scenario-packs.md).
 *
 * A pack is one YAML file (`pack.yaml`, optionally beside a `media/` folder) describing one
 * certification program and its scenarios. Every object is strict: unknown fields are errors, so
 * a typo ("pasMark") is reported instead of silently ignored.
 */
import { z } from 'zod';

export const PACK_FORMAT = 'rehearse-pack/1';

/** Lower-case slug used for every id in a pack; safe in file names and URLs. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    'must be a lower-case slug (a-z, 0-9 and "-", starting with a letter or digit)',
  );

const text = (max: number) => z.string().trim().min(1).max(max);

/** A path to a file shipped inside the pack folder: relative, no "..", no absolute or drive paths. */
export const mediaPathSchema = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (p) => !p.startsWith('/') && !p.startsWith('\\') && !/^[a-zA-Z]:/.test(p),
    'must be a relative path',
  )
  .refine(
    (p) => !p.split(/[\\/]/).includes('..'),
    'must not contain ".." (it must stay inside the pack folder)',
  )
  .refine((p) => /^[\w\-./ ]+$/.test(p), 'may contain only letters, digits, spaces, "_", "-", "." and "/"');

export const scenarioKindSchema = z.enum(['pitch', 'objection', 'discovery', 'demo', 'custom']);
export type ScenarioKind = z.infer<typeof scenarioKindSchema>;

export const personaSchema = z.strictObject({
  name: text(80),
  role: text(120),
  company: text(120).optional(),
  background: text(2000).optional(),
  /** How the customer behaves: sceptical, rushed, friendly… */
  disposition: text(500).optional(),
});

export const keyMessageSchema = z.strictObject({
  id: idSchema,
  /** The message as the enablement team states it. */
  text: text(500),
  /** Example ways a partner might say it; the deterministic judge matches paraphrases of these. */
  phrasings: z.array(text(500)).min(1).max(20),
});
export type KeyMessage = z.infer<typeof keyMessageSchema>;

export const painPointSchema = z.strictObject({
  id: idSchema,
  text: text(500),
});

export const forbiddenPhraseSchema = z.strictObject({
  phrase: text(200),
  /** Why a compliant partner must never say it (shown in feedback). */
  reason: text(500),
});

export const requiredQuestionSchema = z.strictObject({
  id: idSchema,
  text: text(500),
  phrasings: z.array(text(500)).max(20).default([]),
});

export const objectionStepSchema = z.enum(['acknowledge', 'clarify', 'respond', 'confirm']);
export type ObjectionStep = z.infer<typeof objectionStepSchema>;

export const deliveryMetricSchema = z.enum([
  'wordsPerMinute',
  'fillersPer100Words',
  'longestPauseSeconds',
  'questionsAsked',
  'hedgesPer100Words',
  'timeUsedRatio',
  'talkRatio',
]);
export type DeliveryMetricName = z.infer<typeof deliveryMetricSchema>;

/**
 * The values each delivery metric can take (src/shared/metrics): a check bound outside them can
 * never be met (refused), one at the edge is met by every answer (warned). `integer`: a count.
 */
export const DELIVERY_METRIC_RANGES: Readonly<
  Record<DeliveryMetricName, { min: number; max: number; integer?: boolean }>
> = {
  wordsPerMinute: { min: 0, max: Infinity },
  fillersPer100Words: { min: 0, max: 100 },
  longestPauseSeconds: { min: 0, max: Infinity },
  questionsAsked: { min: 0, max: Infinity, integer: true },
  hedgesPer100Words: { min: 0, max: 100 },
  timeUsedRatio: { min: 0, max: Infinity },
  talkRatio: { min: 0, max: 1 },
};

/**
 * What the deterministic judge looks at for a criterion. A criterion with no `checks` can be
 * scored only by the LLM judge or a coach.
 */
export const criterionChecksSchema = z.strictObject({
  keyMessages: z.array(idSchema).max(20).optional(),
  questions: z.array(idSchema).max(20).optional(),
  /** The answer must contain none of the scenario's forbidden phrases. */
  avoidForbiddenPhrases: z.boolean().optional(),
  objectionSteps: z.array(objectionStepSchema).max(4).optional(),
  delivery: z
    .array(
      z.strictObject({
        metric: deliveryMetricSchema,
        min: z.number().optional(),
        max: z.number().optional(),
      }),
    )
    .max(7)
    .optional(),
});
export type CriterionChecks = z.infer<typeof criterionChecksSchema>;

const ratingLevelsSchema = z.strictObject({
  1: text(500),
  2: text(500),
  3: text(500),
  4: text(500),
  5: text(500),
});

const criterionBase = {
  id: idSchema,
  title: text(120),
  description: text(1000),
  /** Relative weight in the scenario score (any positive number; normalised over the rubric). */
  weight: z.number().positive().max(100).default(1),
  /** A required criterion must be met for the attempt to pass, whatever the total score. */
  required: z.boolean().default(false),
  checks: criterionChecksSchema.optional(),
};

export const checkCriterionSchema = z.strictObject({
  ...criterionBase,
  type: z.literal('check'),
});

export const ratingCriterionSchema = z.strictObject({
  ...criterionBase,
  type: z.literal('rating'),
  /** What each level 1-5 looks like. */
  levels: ratingLevelsSchema,
  /** For a required rating criterion: the lowest level that counts as met (default 3). */
  passLevel: z.number().int().min(1).max(5).default(3),
});

export const criterionSchema = z.discriminatedUnion('type', [checkCriterionSchema, ratingCriterionSchema]);
export type Criterion = z.infer<typeof criterionSchema>;
export type RatingCriterion = z.infer<typeof ratingCriterionSchema>;

export const mediaSchema = z.strictObject({
  path: mediaPathSchema,
  caption: text(200).optional(),
});

export const scenarioSchema = z.strictObject({
  id: idSchema,
  kind: scenarioKindSchema,
  title: text(120),
  /** What the partner is asked to do, shown on the Rehearse screen. */
  brief: text(4000),
  persona: personaSchema,
  /** What the customer says to open the scenario (the objection itself, for objection scenarios). */
  customerPrompt: text(2000).optional(),
  timing: z.strictObject({
    prepSeconds: z.number().int().min(0).max(1800),
    answerSeconds: z.number().int().min(10).max(3600),
  }),
  /** Score (above 0, at most 100) at or above which the attempt passes, provided every required criterion is met. */
  passMark: z.number().max(100),
  keyMessages: z.array(keyMessageSchema).max(30).default([]),
  painPoints: z.array(painPointSchema).max(30).default([]),
  forbiddenPhrases: z.array(forbiddenPhraseSchema).max(100).default([]),
  requiredQuestions: z.array(requiredQuestionSchema).max(30).default([]),
  rubric: z.array(criterionSchema).min(1).max(20),
  media: z.array(mediaSchema).max(20).default([]),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export const programSchema = z.strictObject({
  id: idSchema,
  title: text(200),
  description: text(4000).optional(),
  vendor: text(200),
  product: text(200).optional(),
});
export type Program = z.infer<typeof programSchema>;

const semver = z
  .string()
  .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'must be a semantic version such as 1.0.0');

export const scenarioPackSchema = z
  .strictObject({
    format: z.literal(PACK_FORMAT),
    /** Bumped by the enablement team on every change; attempts record the version they were scored against. */
    version: semver,
    locale: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as en or en-US')
      .default('en'),
    program: programSchema,
    scenarios: z.array(scenarioSchema).min(1).max(200),
  })
  .superRefine((pack, ctx) => {
    const dup = (values: string[], path: (i: number) => (string | number)[], what: string) => {
      const seen = new Set<string>();
      values.forEach((v, i) => {
        if (seen.has(v))
          ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate ${what} id "${v}"` });
        seen.add(v);
      });
    };
    dup(
      pack.scenarios.map((s) => s.id),
      (i) => ['scenarios', i, 'id'],
      'scenario',
    );
    pack.scenarios.forEach((s, si) => {
      const base = ['scenarios', si];
      if (!(s.passMark > 0))
        ctx.addIssue({
          code: 'custom',
          path: [...base, 'passMark'],
          message: 'must be above 0 (a pass mark of 0 passes every attempt)',
        });
      dup(
        s.rubric.map((c) => c.id),
        (i) => [...base, 'rubric', i, 'id'],
        'criterion',
      );
      dup(
        s.keyMessages.map((k) => k.id),
        (i) => [...base, 'keyMessages', i, 'id'],
        'key message',
      );
      dup(
        s.requiredQuestions.map((q) => q.id),
        (i) => [...base, 'requiredQuestions', i, 'id'],
        'question',
      );
      dup(
        s.painPoints.map((p) => p.id),
        (i) => [...base, 'painPoints', i, 'id'],
        'pain point',
      );
      const km = new Set(s.keyMessages.map((k) => k.id));
      const qs = new Set(s.requiredQuestions.map((q) => q.id));
      s.rubric.forEach((c, ci) => {
        c.checks?.keyMessages?.forEach((id, ki) => {
          if (!km.has(id))
            ctx.addIssue({
              code: 'custom',
              path: [...base, 'rubric', ci, 'checks', 'keyMessages', ki],
              message: `refers to key message "${id}", which this scenario does not define`,
            });
        });
        c.checks?.questions?.forEach((id, qi) => {
          if (!qs.has(id))
            ctx.addIssue({
              code: 'custom',
              path: [...base, 'rubric', ci, 'checks', 'questions', qi],
              message: `refers to required question "${id}", which this scenario does not define`,
            });
        });
        if (c.checks?.avoidForbiddenPhrases && s.forbiddenPhrases.length === 0)
          ctx.addIssue({
            code: 'custom',
            path: [...base, 'rubric', ci, 'checks', 'avoidForbiddenPhrases'],
            message: 'is set but the scenario lists no forbiddenPhrases',
          });
        c.checks?.delivery?.forEach((d, di) => {
          const at = [...base, 'rubric', ci, 'checks', 'delivery', di];
          if (d.min === undefined && d.max === undefined)
            ctx.addIssue({ code: 'custom', path: at, message: 'needs min, max or both' });
          const never = (bound: 'min' | 'max', message: string) =>
            ctx.addIssue({ code: 'custom', path: [...at, bound], message });
          if (d.min !== undefined && d.max !== undefined && d.min > d.max)
            return never('min', `min ${d.min} is above max ${d.max}, so the check can never be met`);
          const range = DELIVERY_METRIC_RANGES[d.metric];
          if (d.max !== undefined && d.max < range.min)
            never('max', `${d.metric} is never below ${range.min}, so max ${d.max} can never be met`);
          if (d.min !== undefined && d.min > range.max)
            never('min', `${d.metric} is never above ${range.max}, so min ${d.min} can never be met`);
          else if (
            d.metric === 'longestPauseSeconds' &&
            d.min !== undefined &&
            d.min > s.timing.answerSeconds
          )
            never('min', `a pause of ${d.min} s cannot fit in the ${s.timing.answerSeconds} s answer time`);
          for (const bound of ['min', 'max'] as const) {
            const value = d[bound];
            if (range.integer && value !== undefined && !Number.isInteger(value))
              never(bound, `${d.metric} counts questions: use a whole number`);
          }
        });
      });
    });
  });

export type ScenarioPack = z.infer<typeof scenarioPackSchema>;
/** The pack as written in YAML, before defaults are applied. */
export type ScenarioPackInput = z.input<typeof scenarioPackSchema>;

/** Weights normalised to sum to 1 over a scenario's rubric. */
export function normalisedWeights(rubric: readonly Criterion[]): Map<string, number> {
  const total = rubric.reduce((sum, c) => sum + c.weight, 0);
  return new Map(rubric.map((c) => [c.id, total > 0 ? c.weight / total : 0]));
}
