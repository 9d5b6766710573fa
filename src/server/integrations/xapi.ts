/**
 * xAPI 1.0.3 statements for a published review, built from plain data (no database, no network):
 *
 * - `attempted` (partner): the recording was made, at the manifest's `recordedAt`;
 * - `scored` (partner): result.score with scaled = overall coach score / 100;
 * - `passed` or `failed` (partner): result.success from the decision, with the same score;
 * - `commented` (the coach): one per coach comment, result.response = the text.
 *
 * Actor: the person's `mbox_sha1sum` (sha1 of `mailto:<email>`, so no address leaves the server) or
 * an `account` {homePage, name = user id}. Object: the scenario activity
 * `<base>/programs/<programId>/scenarios/<scenarioId>`, parent context the program `<base>/programs/<programId>`.
 */
import { createHash, randomUUID } from 'node:crypto';

export const XAPI_VERSION = '1.0.3';

export const XAPI_VERBS = {
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  scored: 'http://adlnet.gov/expapi/verbs/scored',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  commented: 'http://adlnet.gov/expapi/verbs/commented',
} as const;

const ASSESSMENT = 'http://adlnet.gov/expapi/activities/assessment';
const COURSE = 'http://adlnet.gov/expapi/activities/course';

export type XapiActorFormat = 'mbox_sha1sum' | 'account';

export interface XapiOptions {
  /** e.g. https://lms.example.com/xapi/rehearse (no trailing slash needed). */
  activityBase: string;
  actor: XapiActorFormat;
}

export interface XapiPerson {
  id: string;
  email: string;
  name: string;
}

export interface PublishedAttempt {
  submissionId: string;
  programId: string;
  programTitle: string;
  scenarioId: string;
  scenarioTitle: string;
  /** The pack's locale, for language maps. */
  locale: string;
  partner: XapiPerson;
  coach: XapiPerson;
  recordedAt: string;
  durationSeconds: number;
  publishedAt: string;
  decision: 'pass' | 'needs-work';
  /** 0..100 or null (see analytics/coach-score.ts). */
  overallScore: number | null;
  comments: { text: string; at: number | null; createdAt: string }[];
}

export type XapiStatement = Record<string, unknown> & { id: string; verb: { id: string } };

const trimSlash = (base: string) => base.replace(/\/+$/, '');

export function scenarioActivityIri(base: string, programId: string, scenarioId: string): string {
  return `${trimSlash(base)}/programs/${encodeURIComponent(programId)}/scenarios/${encodeURIComponent(scenarioId)}`;
}

export function actorOf(person: XapiPerson, options: XapiOptions) {
  if (options.actor === 'account')
    return {
      objectType: 'Agent',
      name: person.name,
      account: { homePage: new URL(options.activityBase).origin, name: person.id },
    };
  const sha1 = createHash('sha1').update(`mailto:${person.email.toLowerCase()}`).digest('hex');
  return { objectType: 'Agent', name: person.name, mbox_sha1sum: sha1 };
}

const isoDuration = (seconds: number) => `PT${Math.round(seconds * 100) / 100}S`;

export function buildStatements(
  attempt: PublishedAttempt,
  options: XapiOptions,
  newId: () => string = randomUUID,
): XapiStatement[] {
  const base = trimSlash(options.activityBase);
  const lang = attempt.locale || 'en';
  const verb = (name: keyof typeof XAPI_VERBS) => ({ id: XAPI_VERBS[name], display: { 'en-US': name } });
  const object = {
    objectType: 'Activity',
    id: scenarioActivityIri(base, attempt.programId, attempt.scenarioId),
    definition: { type: ASSESSMENT, name: { [lang]: attempt.scenarioTitle } },
  };
  const partner = actorOf(attempt.partner, options);
  const coach = actorOf(attempt.coach, options);
  const context = {
    instructor: coach,
    platform: 'Rehearse',
    contextActivities: {
      parent: [
        {
          objectType: 'Activity',
          id: `${base}/programs/${encodeURIComponent(attempt.programId)}`,
          definition: { type: COURSE, name: { [lang]: attempt.programTitle } },
        },
      ],
    },
    extensions: { [`${base}/extensions/submission-id`]: attempt.submissionId },
  };
  const score =
    attempt.overallScore === null
      ? undefined
      : {
          scaled: Math.min(1, Math.max(0, attempt.overallScore / 100)),
          raw: attempt.overallScore,
          min: 0,
          max: 100,
        };
  const passed = attempt.decision === 'pass';
  const statements: XapiStatement[] = [
    {
      id: newId(),
      actor: partner,
      verb: verb('attempted'),
      object,
      result: { duration: isoDuration(attempt.durationSeconds) },
      context,
      timestamp: attempt.recordedAt,
    },
  ];
  if (score)
    statements.push({
      id: newId(),
      actor: partner,
      verb: verb('scored'),
      object,
      result: { score },
      context,
      timestamp: attempt.publishedAt,
    });
  statements.push({
    id: newId(),
    actor: partner,
    verb: verb(passed ? 'passed' : 'failed'),
    object,
    result: { success: passed, completion: true, ...(score ? { score } : {}) },
    context,
    timestamp: attempt.publishedAt,
  });
  for (const comment of attempt.comments)
    statements.push({
      id: newId(),
      actor: coach,
      verb: verb('commented'),
      object,
      result: { response: comment.text },
      context: {
        ...context,
        extensions: {
          ...context.extensions,
          [`${base}/extensions/recording-second`]: comment.at,
          [`${base}/extensions/partner`]: partner,
        },
      },
      timestamp: comment.createdAt,
    });
  return statements;
}
