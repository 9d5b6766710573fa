/**
 * The JSON the model must produce for one criterion, as a grammar schema (what generation is
 * constrained to) and as a zod schema (what is accepted afterwards; the grammar does not enforce
 * every constraint, so the parsed value is always validated).
 *
 * Property order matters: the model writes the evidence quote first, then decides, then explains.
 * Levels are an enum (the grammar ignores integer minimum/maximum).
 */
import { z } from 'zod';
import type { GbnfJsonSchema } from 'node-llama-cpp';
import type { Criterion } from '../../../../shared/pack/schema';
import type { PromptLimits } from './prompt';

export type ModelVerdict =
  | { kind: 'check'; evidence: string; met: boolean; rationale: string }
  | { kind: 'rating'; evidence: string; level: 1 | 2 | 3 | 4 | 5; rationale: string };

export function verdictJsonSchema(criterion: Criterion, limits: PromptLimits): GbnfJsonSchema {
  const evidence = { type: 'string', maxLength: limits.maxQuoteChars } as const;
  const rationale = { type: 'string', maxLength: limits.maxRationaleChars } as const;
  return criterion.type === 'check'
    ? {
        type: 'object',
        properties: { evidence, verdict: { enum: ['met', 'not_met'] }, rationale },
        required: ['evidence', 'verdict', 'rationale'],
        additionalProperties: false,
      }
    : {
        type: 'object',
        properties: { evidence, level: { enum: [1, 2, 3, 4, 5] }, rationale },
        required: ['evidence', 'level', 'rationale'],
        additionalProperties: false,
      };
}

function zodFor(criterion: Criterion, limits: PromptLimits) {
  const evidence = z.string().max(limits.maxQuoteChars);
  const rationale = z.string().max(limits.maxRationaleChars);
  return criterion.type === 'check'
    ? z.object({ evidence, verdict: z.enum(['met', 'not_met']), rationale })
    : z.object({
        evidence,
        level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
        rationale,
      });
}

export type ParseResult = { ok: true; verdict: ModelVerdict } | { ok: false; reason: string };

/** Parses and validates the model's JSON text for a criterion. */
export function parseModelVerdict(criterion: Criterion, text: string, limits: PromptLimits): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'model output was not valid JSON' };
  }
  const parsed = zodFor(criterion, limits).safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'model output did not match the verdict schema' };
  const data = parsed.data;
  const evidence = data.evidence.trim();
  const rationale = data.rationale.trim();
  if ('verdict' in data)
    return { ok: true, verdict: { kind: 'check', evidence, met: data.verdict === 'met', rationale } };
  return { ok: true, verdict: { kind: 'rating', evidence, level: data.level, rationale } };
}
