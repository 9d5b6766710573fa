/**
 * Problems found in a scenario pack, located by file, line, column and field path, and the error
 * that carries all of them (`rehearse packs validate` prints every one; other callers show the first).
 */
import { AppError } from '../../../shared/errors';

export interface PackIssue {
  /** The file as the caller named it (e.g. `demo/pack.yaml`). */
  file: string;
  /** 1-based line; undefined for problems with the file as a whole (too big, not text, empty). */
  line?: number;
  /** 1-based column; set whenever `line` is. */
  column?: number;
  /** Field path such as `scenarios[1].rubric[3].weight` (indexes count from 0); '' for the whole file. */
  path: string;
  message: string;
}

/** `['scenarios', 1, 'rubric', 3, 'weight']` → `scenarios[1].rubric[3].weight`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** One line per issue: `demo/pack.yaml:42:7 scenarios[1].rubric[3].weight: must be a positive number`. */
export function formatPackIssue(issue: PackIssue): string {
  const where =
    issue.line === undefined ? `${issue.file}:` : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path === '' ? `${where} ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

export function formatPackIssues(issues: readonly PackIssue[]): string[] {
  return issues.map(formatPackIssue);
}

/** Issues in file order (those without a line first), so a reader can fix them top to bottom. */
export function sortPackIssues(issues: readonly PackIssue[]): PackIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** A pack that cannot be used. `message` is the first problem; `issues` holds all of them. */
export class PackValidationError extends AppError {
  readonly issues: readonly PackIssue[];

  constructor(issues: readonly PackIssue[], options?: { hint?: string; cause?: unknown }) {
    const sorted = sortPackIssues(issues);
    const first = sorted[0];
    const head = first === undefined ? 'the scenario pack is invalid' : formatPackIssue(first);
    const more =
      sorted.length > 1 ? ` (and ${sorted.length - 1} more problem${sorted.length > 2 ? 's' : ''})` : '';
    super('PACK_INVALID', `${head}${more}`, {
      hint:
        options?.hint ??
        'Fix the problems listed, then check again with `npx rehearse packs validate <path>`.',
      cause: options?.cause,
    });
    this.name = 'PackValidationError';
    this.issues = sorted;
  }
}

export function isPackValidationError(value: unknown): value is PackValidationError {
  return value instanceof PackValidationError;
}
