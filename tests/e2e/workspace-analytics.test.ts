/**
 * The coach workspace's Analytics page end to end: a seeded server (two scenarios, two partners,
 * three published reviews, one waiting) on 127.0.0.1, the workspace built with vite, and Chromium
 * signing in as the coach, opening Analytics and checking what it shows against
 * GET /api/analytics/programs/:id; a "Download CSV" link gives text/csv with a header row; a failing
 * request is shown. No request may leave 127.0.0.1, and the CSP must hold.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioPackSchema } from '../../src/shared/pack/schema';
import { buildWorkspace, launchChromium, screenshotDir } from './helpers/app';
import {
  login,
  openTestServer,
  pairDevice,
  PASSWORD,
  sampleManifest,
  samplePack,
  seedUser,
  seedWorld,
  send,
  submitAndPublish as publishReview,
  type TestServer,
  type World,
} from '../integration/server/harness';

interface Readiness {
  scenarios: {
    scenarioId: string;
    title: string;
    submissions: number;
    published: number;
    passed: number;
    passRate: number | null;
    scored: number;
    scoreHistogram: { from: number; count: number }[];
    mostFailedCriteria: { criterionId: string; failed: number; scored: number }[];
    medianSecondsToFirstPass: number | null;
    partnersPassed: number;
    partnersNotReady: number;
    agreement: {
      criterionId: string;
      pairs: number;
      meanAbsDiff: number | null;
      withinQuarter: number | null;
    }[];
  }[];
  partnersNotReady: { id: string; missingScenarios: string[] }[];
  partnerCount: number;
}

function twoScenarioPack(programId: string) {
  const base = samplePack(programId);
  const scenario = base.scenarios[0]!;
  const rubric = [...scenario.rubric, { ...scenario.rubric[0]!, id: 'clarity', title: 'Clear wording' }];
  return scenarioPackSchema.parse({
    ...base,
    scenarios: [
      { ...scenario, rubric },
      { ...scenario, id: 'objection', title: 'Handle an objection', rubric },
    ],
  });
}

const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

describe('coach workspace analytics', () => {
  let server: TestServer;
  let world: World;
  let browser: Browser;
  let page: Page;
  let base: string;
  let second: { id: string; deviceToken: string };
  const requested: string[] = [];
  const cspViolations: string[] = [];

  const submitAndPublish = (
    deviceToken: string,
    scores: [string, number | null][],
    overallScore: number | null,
    decision: 'pass' | 'needs-work',
  ) => publishReview(server, world, { deviceToken, scores, overallScore, decision, reviewAfterMs: 600_000 });

  beforeAll(async () => {
    buildWorkspace();
    server = await openTestServer('sqlite');
    world = await seedWorld(server);
    expect(
      (
        await send(server.app, 'POST', `/api/programs/${world.programId}/packs`, world.admin.cookie, {
          pack: twoScenarioPack(world.programId),
        })
      ).statusCode,
    ).toBe(201);
    const user = await seedUser(server.db, {
      email: 'second@a.test',
      name: 'Jane Second',
      role: 'partner',
      orgId: world.partnerOrgId,
    });
    second = { id: user.id, deviceToken: await pairDevice(server.app, await login(server.app, user.email)) };
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
      second.deviceToken,
      [
        ['value', 0.4],
        ['clarity', null],
      ],
      null,
      'needs-work',
    );
    // Submitted, not yet reviewed.
    expect(
      (
        await send(
          server.app,
          'POST',
          '/api/submissions',
          second.deviceToken,
          sampleManifest(world.programId),
        )
      ).statusCode,
    ).toBe(201);

    await server.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1300, height: 1000 },
      acceptDownloads: true,
    });
    context.on('request', (r) => requested.push(r.url()));
    await context.route('**/*', (route) =>
      route.request().url().startsWith(`${base}/`) ? route.continue() : route.abort(),
    );
    page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    fs.mkdirSync(screenshotDir, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in as the coach and opens Analytics from the navigation', async () => {
    await page.goto(`${base}/workspace/`);
    await page.getByLabel('Email').fill(world.coach.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Workspace' })
      .getByRole('link', { name: 'Analytics' })
      .click();
    await page.getByRole('heading', { name: 'Analytics', level: 2 }).waitFor();
    await page.getByRole('heading', { name: 'Pass rate per scenario' }).waitFor();
    expect(page.url()).toBe(`${base}/workspace/analytics?program=${world.programId}`);
    expect(await page.getByRole('form', { name: 'Choose a program' }).locator('select').inputValue()).toBe(
      world.programId,
    );
  });

  it('shows the same figures as the API', async () => {
    const response = await send(
      server.app,
      'GET',
      `/api/analytics/programs/${world.programId}`,
      world.coach.cookie,
    );
    expect(response.statusCode).toBe(200);
    const api = response.json() as Readiness;
    const [pitch, objection] = api.scenarios;
    expect(pitch).toMatchObject({ submissions: 4, published: 3, passed: 1 });
    expect(objection).toMatchObject({ submissions: 0, passRate: null });

    const cell = (section: string, row: string, field: string) =>
      page.locator(`[data-section="${section}"] tr[${row}] [data-field="${field}"]`).textContent();

    // Pass rate: the chart's summary and the table beside it.
    const chart = page.locator('[data-section="pass-rate"] svg[role="img"]');
    const chartLabel = (await chart.getAttribute('aria-label'))!;
    for (const s of api.scenarios) {
      const row = `data-scenario="${s.scenarioId}"`;
      expect(await cell('pass-rate', row, 'submissions')).toBe(String(s.submissions));
      expect(await cell('pass-rate', row, 'published')).toBe(String(s.published));
      expect(await cell('pass-rate', row, 'passed')).toBe(String(s.passed));
      expect(await cell('pass-rate', row, 'passRate')).toBe(pct(s.passRate));
      expect(chartLabel).toContain(s.title);
      expect(chartLabel).toContain(`${s.submissions} submissions`);
    }
    expect(chartLabel).toContain(`${pct(pitch!.passRate)} (1 of 3 published passed`);
    expect(await chart.locator('[data-scenario]').count()).toBe(api.scenarios.length);

    // Score histogram: all scenarios summed.
    const histogram = page.locator('[data-section="scores"] svg[role="img"]');
    const summed = Array.from({ length: 10 }, (_, i) =>
      api.scenarios.reduce((n, s) => n + s.scoreHistogram[i]!.count, 0),
    );
    expect(
      await histogram
        .locator('[data-bin]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count')))),
    ).toEqual(summed);
    expect(await histogram.getAttribute('aria-label')).toContain(`${summed.reduce((a, b) => a + b)} scored`);

    // Criteria most often failed, most failed first.
    const failedRows = api.scenarios
      .flatMap((s) => s.mostFailedCriteria.map((c) => ({ ...c, key: `${s.scenarioId}/${c.criterionId}` })))
      .filter((c) => c.scored > 0)
      .sort((a, b) => b.failed - a.failed || b.scored - a.scored);
    const shownCriteria = page.locator('[data-section="criteria"] tbody tr');
    expect(
      await shownCriteria.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-criterion'))),
    ).toEqual(failedRows.map((c) => c.key));
    for (const c of failedRows) {
      expect(await cell('criteria', `data-criterion="${c.key}"`, 'failed')).toBe(String(c.failed));
      expect(await cell('criteria', `data-criterion="${c.key}"`, 'scored')).toBe(String(c.scored));
    }

    // Partners not yet ready.
    const notReady = page.locator('[data-section="not-ready"] tbody tr');
    expect(await notReady.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-partner')))).toEqual(
      api.partnersNotReady.map((p) => p.id),
    );
    const titleOf = new Map(api.scenarios.map((s) => [s.scenarioId, s.title]));
    for (const p of api.partnersNotReady)
      expect(await cell('not-ready', `data-partner="${p.id}"`, 'missing')).toBe(
        p.missingScenarios.map((id) => titleOf.get(id)).join(', '),
      );
    expect(await page.getByTestId('analytics-summary').textContent()).toContain(
      `${api.partnersNotReady.length} of ${api.partnerCount} partners not yet ready`,
    );

    // Median time to first pass (about 20 minutes for the pitch; none for the objection).
    for (const s of api.scenarios) {
      const median = page.locator(
        `[data-section="first-pass"] tr[data-scenario="${s.scenarioId}"] [data-field="median"]`,
      );
      expect(await median.getAttribute('data-seconds')).toBe(
        s.medianSecondsToFirstPass === null ? '' : String(s.medianSecondsToFirstPass),
      );
      expect(await cell('first-pass', `data-scenario="${s.scenarioId}"`, 'partnersPassed')).toBe(
        String(s.partnersPassed),
      );
    }
    expect(
      await page
        .locator(`[data-section="first-pass"] tr[data-scenario="elevator-pitch"] [data-field="median"]`)
        .textContent(),
    ).toBe(`${Math.round(pitch!.medianSecondsToFirstPass! / 60)} min`);

    // Agreement, worst (largest mean difference) first.
    const agreement = api.scenarios
      .flatMap((s) => s.agreement.map((a) => ({ ...a, key: `${s.scenarioId}/${a.criterionId}` })))
      .filter((a) => a.pairs > 0)
      .sort((a, b) => b.meanAbsDiff! - a.meanAbsDiff!);
    expect(agreement.length).toBeGreaterThan(1);
    const shownAgreement = page.locator('[data-section="agreement"] tbody tr');
    expect(
      await shownAgreement.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-criterion'))),
    ).toEqual(agreement.map((a) => a.key));
    for (const a of agreement) {
      const row = `data-criterion="${a.key}"`;
      expect(await cell('agreement', row, 'pairs')).toBe(String(a.pairs));
      expect(await cell('agreement', row, 'meanAbsDiff')).toBe(a.meanAbsDiff!.toFixed(2));
      expect(await cell('agreement', row, 'withinQuarter')).toBe(pct(a.withinQuarter));
    }

    await page.screenshot({ path: path.join(screenshotDir, 'workspace-analytics.png'), fullPage: true });
  });

  it('links every section to its CSV table, which downloads as text/csv with a header row', async () => {
    const expected: Record<string, string> = {
      'pass-rate': 'scenarios',
      scores: 'scenarios',
      criteria: 'criteria',
      'not-ready': 'partners',
      'first-pass': 'scenarios',
      agreement: 'agreement',
    };
    for (const [section, table] of Object.entries(expected)) {
      const link = page.locator(`[data-section="${section}"] a.csv-link`);
      expect(await link.getAttribute('href')).toBe(
        `/api/analytics/programs/${world.programId}.csv?table=${table}`,
      );
    }
    const link = page.locator('[data-section="criteria"] a.csv-link');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`readiness-${world.programId}-criteria.csv`);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('scenario_id,criterion_id,title,failed,scored');
    expect(text).toContain('elevator-pitch,value,States the value,2,3');

    const fetched = await page.evaluate(
      async (href) => {
        const r = await fetch(href, { credentials: 'same-origin' });
        return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
      },
      (await page.locator('[data-section="agreement"] a.csv-link').getAttribute('href'))!,
    );
    expect(fetched.status).toBe(200);
    expect(fetched.type).toMatch(/^text\/csv/);
    expect(fetched.text.split('\r\n')[0]).toBe(
      'scenario_id,criterion_id,title,pairs,mean_abs_diff,share_within_0_25',
    );
  });

  it('shows a failed request, and nothing left 127.0.0.1', async () => {
    await page.route('**/api/analytics/programs/**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'INTERNAL', message: 'The database is down' } }),
      }),
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Could not load the analytics: The database is down');
    await page.unroute('**/api/analytics/programs/**');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('heading', { name: 'Pass rate per scenario' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);

    expect(requested.some((url) => url.includes(`/api/analytics/programs/${world.programId}`))).toBe(true);
    expect(requested.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
