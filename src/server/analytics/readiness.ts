/**
 * Readiness analytics of one program: counts per scenario in SQL (portable `sum(case …)`), the
 * rest in the pure functions of readiness-figures.ts over rows fetched here. Coaches see the
 * programs they coach, admins their vendor's; anything else is "not found".
 */
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/schema';
import { notFound } from '../errors';
import type { Principal } from '../identity/principal';
import { parseCoachCriteria } from '../submissions/coach-criteria';
import { overallCoachScore } from './coach-score';
import {
  partnerProgress,
  partnersNotReady,
  scenarioReadiness,
  type NotReadyPartner,
  type PartnerInfo,
  type PartnerScenarioProgress,
  type ScenarioCounts,
  type ScenarioInfo,
  type ScenarioReadiness,
  type SubmissionFact,
} from './readiness-figures';

export interface ProgramReadiness {
  program: { id: string; title: string };
  generatedAt: string;
  partners: PartnerInfo[];
  scenarios: ScenarioReadiness[];
  partnersNotReady: NotReadyPartner[];
  progress: PartnerScenarioProgress[];
}

async function requireAnalyticsProgram(db: Kysely<ServerDatabase>, principal: Principal, programId: string) {
  let query = db
    .selectFrom('programs')
    .select(['programs.id', 'programs.title'])
    .where('programs.id', '=', programId)
    .where('programs.vendor_org_id', '=', principal.vendorId);
  if (principal.user.role === 'coach')
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('coach_programs')
          .select('coach_programs.program_id')
          .whereRef('coach_programs.vendor_org_id', '=', 'programs.vendor_org_id')
          .whereRef('coach_programs.program_id', '=', 'programs.id')
          .where('coach_programs.coach_user_id', '=', principal.user.id),
      ),
    );
  const program = await query.executeTakeFirst();
  if (!program) throw notFound('No such program', `program ${programId} not visible to ${principal.user.id}`);
  return program;
}

interface PackJson {
  scenarios?: { id: string; title: string; rubric?: { id: string; title: string }[] }[];
}

/** Every scenario of every stored pack version, titled by the newest upload that has it. */
async function programScenarios(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  programId: string,
): Promise<ScenarioInfo[]> {
  const packs = await db
    .selectFrom('program_packs')
    .select(['pack_json', 'uploaded_at'])
    .where('vendor_org_id', '=', vendorId)
    .where('program_id', '=', programId)
    .orderBy('uploaded_at')
    .orderBy('version')
    .execute();
  const byId = new Map<string, ScenarioInfo>();
  for (const pack of packs)
    for (const s of (JSON.parse(pack.pack_json) as PackJson).scenarios ?? []) {
      const earlier = byId.get(s.id)?.criteria ?? [];
      const criteria = [...(s.rubric ?? []).map((c) => ({ id: c.id, title: c.title }))];
      for (const c of earlier) if (!criteria.some((k) => k.id === c.id)) criteria.push(c);
      byId.delete(s.id);
      byId.set(s.id, { id: s.id, title: s.title, criteria });
    }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

async function scenarioCounts(db: Kysely<ServerDatabase>, vendorId: string, programId: string) {
  const rows = await db
    .selectFrom('submissions')
    .leftJoin('submission_reviews', 'submission_reviews.submission_id', 'submissions.id')
    .select((eb) => [
      'submissions.scenario_id',
      eb.fn.countAll<number | string>().as('submissions'),
      eb.fn
        .sum<number | string | null>(
          eb.case().when('submissions.status', '=', 'published').then(1).else(0).end(),
        )
        .as('published'),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when(
              eb.and([
                eb('submissions.status', '=', 'published'),
                eb('submission_reviews.decision', '=', 'pass'),
              ]),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('passed'),
    ])
    .where('submissions.vendor_org_id', '=', vendorId)
    .where('submissions.program_id', '=', programId)
    .where('submissions.status', '!=', 'awaiting-recording')
    .groupBy('submissions.scenario_id')
    .execute();
  return new Map<string, ScenarioCounts>(
    rows.map((r) => [
      r.scenario_id,
      {
        submissions: Number(r.submissions),
        published: Number(r.published ?? 0),
        passed: Number(r.passed ?? 0),
      },
    ]),
  );
}

interface ManifestAi {
  ai?: { criteria?: { criterionId: string; score: number | null }[] };
}

async function submissionFacts(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  programId: string,
): Promise<SubmissionFact[]> {
  const rows = await db
    .selectFrom('submissions')
    .leftJoin('submission_reviews', 'submission_reviews.submission_id', 'submissions.id')
    .select((eb) => [
      'submissions.id',
      'submissions.partner_user_id',
      'submissions.scenario_id',
      'submissions.created_at',
      'submissions.status',
      'submission_reviews.decision',
      'submission_reviews.published_at',
      'submission_reviews.overall_score',
      'submission_reviews.criteria_json',
      // The manifest (with its transcript) only where the AI's criteria are needed.
      eb
        .case()
        .when('submissions.status', '=', 'published')
        .then(eb.ref('submissions.manifest_json'))
        .else(null)
        .end()
        .as('manifest_json'),
    ])
    .where('submissions.vendor_org_id', '=', vendorId)
    .where('submissions.program_id', '=', programId)
    .where('submissions.status', '!=', 'awaiting-recording')
    .orderBy('submissions.created_at')
    .orderBy('submissions.id')
    .execute();
  return rows.map((r) => {
    if (r.status !== 'published' || !r.decision || !r.published_at || !r.criteria_json || !r.manifest_json)
      return {
        id: r.id,
        partnerUserId: r.partner_user_id,
        scenarioId: r.scenario_id,
        createdAt: r.created_at,
        published: null,
      };
    const coach = parseCoachCriteria(r.criteria_json);
    const manifest = JSON.parse(r.manifest_json) as ManifestAi;
    return {
      id: r.id,
      partnerUserId: r.partner_user_id,
      scenarioId: r.scenario_id,
      createdAt: r.created_at,
      published: {
        decision: r.decision,
        publishedAt: r.published_at,
        overallCoachScore: overallCoachScore(r.overall_score, coach),
        coach: coach.map((c) => ({ criterionId: c.criterionId, coachScore: c.coachScore })),
        ai: (manifest.ai?.criteria ?? []).map((c) => ({ criterionId: c.criterionId, score: c.score })),
      },
    };
  });
}

/** Partner users of the organisations that take the program. */
async function programPartners(
  db: Kysely<ServerDatabase>,
  vendorId: string,
  programId: string,
): Promise<PartnerInfo[]> {
  const rows = await db
    .selectFrom('program_partners')
    .innerJoin('organisations', 'organisations.id', 'program_partners.partner_org_id')
    .innerJoin('users', 'users.org_id', 'organisations.id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'organisations.id as org_id',
      'organisations.name as org_name',
    ])
    .where('program_partners.vendor_org_id', '=', vendorId)
    .where('program_partners.program_id', '=', programId)
    .where('users.role', '=', 'partner')
    .orderBy('organisations.name')
    .orderBy('users.name')
    .orderBy('users.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, orgId: r.org_id, orgName: r.org_name }));
}

export async function programReadiness(
  db: Kysely<ServerDatabase>,
  principal: Principal,
  programId: string,
  now: Date,
): Promise<ProgramReadiness> {
  const program = await requireAnalyticsProgram(db, principal, programId);
  const [scenarios, counts, facts, partners] = [
    await programScenarios(db, principal.vendorId, programId),
    await scenarioCounts(db, principal.vendorId, programId),
    await submissionFacts(db, principal.vendorId, programId),
    await programPartners(db, principal.vendorId, programId),
  ];
  const progress = partnerProgress(partners, scenarios, facts);
  return {
    program,
    generatedAt: now.toISOString(),
    partners,
    scenarios: scenarios.map((s) =>
      scenarioReadiness(s, counts.get(s.id) ?? { submissions: 0, published: 0, passed: 0 }, facts, progress),
    ),
    partnersNotReady: partnersNotReady(partners, scenarios, progress),
    progress,
  };
}
