/** Readiness analytics: the pure figures, then the JSON and CSV routes on both backends. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/server/analytics/csv';
import {
  criterionAgreement,
  criterionFailures,
  median,
  partnerProgress,
  partnersNotReady,
  scoreHistogram,
  type SubmissionFact,
} from '../../../src/server/analytics/readiness-figures';
import { overallCoachScore } from '../../../src/server/analytics/coach-score';
import { scenarioPackSchema } from '../../../src/shared/pack/schema';
import {
  backends,
  login,
  openTestServer,
  pairDevice,
  sampleManifest,
  samplePack,
  seedUser,
  seedWorld,
  send,
  submitAndPublish as publishReview,
  type TestServer,
  unavailable,
  type World,
} from './harness';

const published = (
  partnerUserId: string,
  scenarioId: string,
  createdAt: string,
  publishedAt: string,
  decision: 'pass' | 'needs-work',
  coach: [string, number | null][],
  ai: [string, number | null][],
  overall: number | null = null,
): SubmissionFact => ({
  id: `${partnerUserId}-${createdAt}`,
  partnerUserId,
  scenarioId,
  createdAt,
  published: {
    decision,
    publishedAt,
    overallCoachScore: overallCoachScore(
      overall,
      coach.map(([, coachScore]) => ({ coachScore })),
    ),
    coach: coach.map(([criterionId, coachScore]) => ({ criterionId, coachScore })),
    ai: ai.map(([criterionId, score]) => ({ criterionId, score })),
  },
});

describe('readiness figures (pure)', () => {
  it('bins overall scores in ten 10-point bins, 100 in the last', () => {
    const bins = scoreHistogram([0, 9.99, 10, 55, 90, 100, 120, -3]);
    expect(bins.map((b) => b.count)).toEqual([3, 1, 0, 0, 0, 1, 0, 0, 0, 3]);
    expect(bins[9]).toMatchObject({ from: 90, to: 100 });
  });

  it('takes medians of odd and even counts, null when empty', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('derives the overall coach score from criteria when no overall score was given', () => {
    expect(overallCoachScore(72, [{ coachScore: 0 }])).toBe(72);
    expect(overallCoachScore('65', [])).toBe(65);
    expect(overallCoachScore(null, [{ coachScore: 0.5 }, { coachScore: 1 }, { coachScore: null }])).toBe(75);
    expect(overallCoachScore(null, [{ coachScore: null }])).toBeNull();
  });

  const facts = [
    published(
      'p1',
      's',
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T01:00:00.000Z',
      'needs-work',
      [
        ['a', 0.2],
        ['b', 0.9],
      ],
      [
        ['a', 1],
        ['b', 1],
      ],
    ),
    published(
      'p1',
      's',
      '2026-01-02T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
      'pass',
      [
        ['a', 0.75],
        ['b', null],
      ],
      [
        ['a', 1],
        ['b', 0.5],
      ],
    ),
    published(
      'p2',
      's',
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T02:00:00.000Z',
      'pass',
      [['a', 0.4]],
      [['a', null]],
    ),
    { id: 'x', partnerUserId: 'p3', scenarioId: 's', createdAt: '2026-01-01T00:00:00.000Z', published: null },
  ];

  it('counts failed criteria (coach < 0.5), most failed first', () => {
    expect(criterionFailures(facts, new Map([['a', 'Alpha']]))).toEqual([
      { criterionId: 'a', title: 'Alpha', failed: 2, scored: 3 },
      { criterionId: 'b', title: 'b', failed: 0, scored: 1 },
    ]);
  });

  it('measures AI-vs-coach agreement over pairs where both scored', () => {
    const [a, b] = criterionAgreement(facts);
    expect(a).toMatchObject({ criterionId: 'a', pairs: 2 });
    expect(a!.meanAbsDiff).toBeCloseTo((0.8 + 0.25) / 2);
    expect(a!.withinQuarter).toBe(0.5); // 0.25 exactly counts as within
    expect(b).toMatchObject({ criterionId: 'b', pairs: 1, withinQuarter: 1 });
    expect(b!.meanAbsDiff).toBeCloseTo(0.1);
  });

  it('times first submission to first pass per partner and lists who is not ready', () => {
    const partners = ['p1', 'p2', 'p3'].map((id) => ({
      id,
      name: id,
      email: `${id}@x`,
      orgId: 'o',
      orgName: 'O',
    }));
    const scenarios = [
      { id: 's', title: 'S', criteria: [] },
      { id: 't', title: 'T', criteria: [] },
    ];
    const progress = partnerProgress(partners, scenarios, facts);
    const inS = progress.filter((p) => p.scenarioId === 's').map((p) => p.secondsToFirstPass);
    expect(inS).toEqual([86_400, 7200, null]);
    expect(partnersNotReady(partners, scenarios, progress).map((p) => [p.id, p.missingScenarios])).toEqual([
      ['p1', ['t']],
      ['p2', ['t']],
      ['p3', ['s', 't']],
    ]);
  });

  it('writes RFC 4180 CSV: CRLF, header, quotes doubled, formulas defused', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
  });
});

function twoScenarioPack(programId: string) {
  const base = samplePack(programId);
  const scenario = base.scenarios[0]!;
  const rubric = [
    ...scenario.rubric,
    { ...scenario.rubric[0]!, id: 'clarity', title: 'Clear, "crisp" wording' },
  ];
  return scenarioPackSchema.parse({
    ...base,
    scenarios: [
      { ...scenario, rubric },
      { ...scenario, id: 'objection', title: 'Handle an objection', rubric },
    ],
  });
}

describe.each(backends)('readiness analytics routes (%s)', (backend) => {
  beforeEach((ctx) => {
    if (unavailable(backend))
      ctx.skip('no PostgreSQL here: set REHEARSE_TEST_DATABASE_URL (.ci/run starts one)');
  });
  let server: TestServer;
  let world: World;
  let other: { id: string; deviceToken: string };

  beforeEach(async () => {
    server = await openTestServer(backend);
    world = await seedWorld(server);
    const packed = await send(
      server.app,
      'POST',
      `/api/programs/${world.programId}/packs`,
      world.admin.cookie,
      {
        pack: twoScenarioPack(world.programId),
      },
    );
    expect(packed.statusCode).toBe(201);
    const second = await seedUser(server.db, {
      email: 'second@a.test',
      name: 'Doe, "JD" Jane',
      role: 'partner',
      orgId: world.partnerOrgId,
    });
    other = {
      id: second.id,
      deviceToken: await pairDevice(server.app, await login(server.app, second.email)),
    };
  });
  afterEach(() => server.close());

  const submitAndPublish = (
    deviceToken: string,
    scores: [string, number | null][],
    overallScore: number | null,
    decision: 'pass' | 'needs-work',
  ) => publishReview(server, world, { deviceToken, scores, overallScore, decision, reviewAfterMs: 600_000 });

  const seedHistory = async () => {
    await submitAndPublish(
      world.partner.deviceToken,
      [
        ['value', 0.2],
        ['clarity', 0.9],
      ],
      40,
      'needs-work',
    );
    await submitAndPublish(
      world.partner.deviceToken,
      [
        ['value', 0.8],
        ['clarity', 1],
      ],
      85,
      'pass',
    );
    await submitAndPublish(
      other.deviceToken,
      [
        ['value', 0.4],
        ['clarity', null],
      ],
      null,
      'needs-work',
    );
    // Submitted, not yet reviewed: counted as a submission only.
    const pending = sampleManifest(world.programId);
    expect((await send(server.app, 'POST', '/api/submissions', other.deviceToken, pending)).statusCode).toBe(
      201,
    );
    // Awaiting its recording: not counted at all.
    const awaiting = sampleManifest(world.programId, { recording: Buffer.from('x') });
    expect((await send(server.app, 'POST', '/api/submissions', other.deviceToken, awaiting)).statusCode).toBe(
      201,
    );
  };

  it('computes the figures per scenario for the program’s coach and admin', async () => {
    await seedHistory();
    const response = await send(
      server.app,
      'GET',
      `/api/analytics/programs/${world.programId}`,
      world.coach.cookie,
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.partnerCount).toBe(2);
    const [pitch, objection] = body.scenarios;
    expect(pitch).toMatchObject({
      scenarioId: 'elevator-pitch',
      submissions: 4,
      published: 3,
      passed: 1,
      scored: 3,
      partnersPassed: 1,
      partnersNotReady: 1,
    });
    expect(pitch.passRate).toBeCloseTo(1 / 3);
    expect(pitch.scoreHistogram.map((b: { count: number }) => b.count)).toEqual([
      0, 0, 0, 0, 2, 0, 0, 0, 1, 0,
    ]);
    expect(pitch.mostFailedCriteria).toEqual([
      { criterionId: 'value', title: 'States the value', failed: 2, scored: 3 },
      { criterionId: 'clarity', title: 'Clear, "crisp" wording', failed: 0, scored: 2 },
    ]);
    // First submission at t, second at t+10 min, its publication at t+20 min.
    expect(pitch.medianSecondsToFirstPass).toBeGreaterThanOrEqual(1200);
    expect(pitch.medianSecondsToFirstPass).toBeLessThan(1260);
    const value = pitch.agreement.find((a: { criterionId: string }) => a.criterionId === 'value');
    expect(value.pairs).toBe(3);
    expect(value.meanAbsDiff).toBeCloseTo((0.8 + 0.2 + 0.6) / 3);
    expect(value.withinQuarter).toBeCloseTo(1 / 3);
    expect(pitch.agreement.find((a: { criterionId: string }) => a.criterionId === 'clarity')).toMatchObject({
      pairs: 2,
      withinQuarter: 1,
    });
    expect(objection).toMatchObject({
      submissions: 0,
      published: 0,
      passRate: null,
      medianSecondsToFirstPass: null,
      partnersNotReady: 2,
    });
    expect(
      body.partnersNotReady.map((p: { id: string; missingScenarios: string[] }) => [
        p.id,
        p.missingScenarios,
      ]),
    ).toEqual([
      [other.id, ['elevator-pitch', 'objection']],
      [world.partner.id, ['objection']],
    ]);
    const byAdmin = await send(
      server.app,
      'GET',
      `/api/analytics/programs/${world.programId}`,
      world.admin.cookie,
    );
    expect(byAdmin.json().scenarios).toEqual(body.scenarios);
  });

  it('serves every table as RFC 4180 CSV with a header row', async () => {
    await seedHistory();
    const csv = async (table: string) => {
      const response = await send(
        server.app,
        'GET',
        `/api/analytics/programs/${world.programId}.csv?table=${table}`,
        world.coach.cookie,
      );
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toContain(`${table}.csv`);
      expect(response.body.endsWith('\r\n')).toBe(true);
      return response.body.split('\r\n').slice(0, -1);
    };
    const scenarios = await csv('scenarios');
    expect(scenarios[0]).toBe(
      'scenario_id,title,submissions,published,passed,pass_rate,scored,median_seconds_to_first_pass,partners_passed,partners_not_ready,' +
        Array.from({ length: 10 }, (_, i) => `score_${i * 10}_${i * 10 + 10}`).join(','),
    );
    expect(scenarios[1]).toMatch(
      /^elevator-pitch,Elevator pitch,4,3,1,0\.3333,3,12\d\d(\.\d+)?,1,1,0,0,0,0,2,0,0,0,1,0$/,
    );
    expect(scenarios).toHaveLength(3);
    const criteria = await csv('criteria');
    expect(criteria[0]).toBe('scenario_id,criterion_id,title,failed,scored');
    expect(criteria).toContain('elevator-pitch,clarity,"Clear, ""crisp"" wording",0,2');
    const agreement = await csv('agreement');
    expect(agreement[0]).toBe('scenario_id,criterion_id,title,pairs,mean_abs_diff,share_within_0_25');
    expect(agreement).toContain('elevator-pitch,value,States the value,3,0.5333,0.3333');
    const partners = await csv('partners');
    expect(partners[0]).toBe(
      'partner_id,name,email,org_id,org_name,scenario_id,submissions,first_submitted_at,first_passed_at,seconds_to_first_pass,passed',
    );
    expect(partners).toHaveLength(5);
    expect(partners.find((l) => l.startsWith(`${other.id},`))).toContain('"Doe, ""JD"" Jane",second@a.test');
    const bad = await send(
      server.app,
      'GET',
      `/api/analytics/programs/${world.programId}.csv?table=secrets`,
      world.coach.cookie,
    );
    expect(bad.statusCode).toBe(400);
  });

  it('is for the program’s coaches and the vendor’s admins only', async () => {
    const url = `/api/analytics/programs/${world.programId}`;
    expect((await send(server.app, 'GET', url, world.partner.cookie)).statusCode).toBe(403);
    const elsewhere = await seedWorld(server, { letter: 'b' });
    expect((await send(server.app, 'GET', url, elsewhere.admin.cookie)).statusCode).toBe(404);
    expect(
      (await send(server.app, 'GET', `${url}.csv?table=scenarios`, elsewhere.coach.cookie)).statusCode,
    ).toBe(404);
    await seedUser(server.db, { email: 'idle-coach@a.test', role: 'coach', orgId: world.vendorId });
    const idle = await login(server.app, 'idle-coach@a.test');
    expect((await send(server.app, 'GET', url, idle)).statusCode).toBe(404);
    expect(
      (await send(server.app, 'GET', '/api/analytics/programs/nope', world.admin.cookie)).statusCode,
    ).toBe(404);
  });
});
