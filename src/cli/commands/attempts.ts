/** `rehearse attempts list|show|delete|export|recover` */
import type { Command } from 'commander';
import {
  deleteAttempt,
  exportAttempt,
  getAttemptDetail,
  listAttemptSummaries,
} from '../../main/core/attempts/attempts-service';
import {
  listQuarantinedRecordings,
  recoverQuarantined,
  type RecoveredAttempt,
} from '../../main/core/capture/recover-service';
import { AppError } from '../../shared/errors';
import { formatBytes, formatDuration, table } from '../format';
import type { Run } from '../run';

const parseLimit = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new AppError('INVALID_INPUT', `--limit must be a whole number from 1 to 1000, not "${value}"`);
  return n;
};

export function registerAttemptsCommands(program: Command, run: Run): void {
  const attempts = program.command('attempts').description('list, show, delete and export attempts');

  attempts
    .command('list')
    .description('list attempts, newest first')
    .option('--scenario <id>', 'only attempts at this scenario')
    .option('--program <id>', 'only attempts in this program')
    .option('--mode <mode>', 'practice or formal')
    .option('--limit <n>', 'at most this many', '50')
    .action((o: { scenario?: string; program?: string; mode?: string; limit: string }) =>
      run(async ({ out, store }) => {
        if (o.mode !== undefined && o.mode !== 'practice' && o.mode !== 'formal')
          throw new AppError('INVALID_INPUT', `--mode must be practice or formal, not "${o.mode}"`);
        const list = await listAttemptSummaries(await store(), {
          ...(o.scenario ? { scenarioId: o.scenario } : {}),
          ...(o.program ? { programId: o.program } : {}),
          ...(o.mode ? { mode: o.mode as 'practice' | 'formal' } : {}),
          limit: parseLimit(o.limit),
        });
        out.result({ attempts: list }, () =>
          list.length === 0
            ? 'No attempts yet.'
            : table(
                ['ID', 'WHEN', 'SCENARIO', 'MODE', 'STATUS', 'LENGTH', 'SCORE'],
                list.map((a) => [
                  a.id.slice(0, 8),
                  a.createdAt.slice(0, 16).replace('T', ' '),
                  `${a.programId}/${a.scenarioId}`,
                  a.mode,
                  a.status,
                  formatDuration(a.durationSeconds),
                  a.score === null ? '-' : `${Math.round(a.score)}${a.passed ? ' pass' : ''}`,
                ]),
              ),
        );
        return 0;
      }),
    );

  attempts
    .command('show')
    .description('show one attempt: recordings, analysis stages and feedback')
    .argument('<id>', 'attempt id (or its first 8 characters)')
    .action((id: string) =>
      run(async ({ out, store }) => {
        const a = await getAttemptDetail(await store(), id);
        out.result(a, () =>
          [
            `Attempt ${a.id}`,
            `  scenario   ${a.programId}/${a.scenarioId} (pack v${a.packVersion})`,
            `  mode       ${a.mode}, ${a.status}`,
            `  recorded   ${a.createdAt}, ${formatDuration(a.durationSeconds)}`,
            `  score      ${a.score === null ? 'not analysed' : `${Math.round(a.score)} (${a.passed ? 'pass' : 'not yet'})`}`,
            `  recordings ${a.recordings.length === 0 ? 'none' : a.recordings.map((r) => `${r.kind} ${r.mime} ${formatBytes(r.bytes)}`).join('; ')}`,
            `  stages     ${a.stages.length === 0 ? 'none' : a.stages.map((s) => `${s.stage}:${s.status}`).join(' ')}`,
          ].join('\n'),
        );
        return 0;
      }),
    );

  attempts
    .command('delete')
    .description('delete an attempt, its recordings and its analysis')
    .argument('<ids...>', 'attempt ids (or their first 8 characters)')
    .action((ids: string[]) =>
      run(async ({ out, store }) => {
        const s = await store();
        const deleted: string[] = [];
        for (const id of ids) if ((await deleteAttempt(s, id)).deleted) deleted.push(id);
        out.result({ deleted }, () => deleted.map((id) => `deleted ${id}`).join('\n'));
        return 0;
      }),
    );

  attempts
    .command('export')
    .description('export an attempt (recordings, transcript, metrics, feedback) to a folder')
    .argument('<id>', 'attempt id (or its first 8 characters)')
    .option('--out <dir>', 'where to write the export folder', '.')
    .action((id: string, o: { out: string }) =>
      run(async ({ out, store, signal }) => {
        const s = await store();
        const bar = out.progress('Exporting', 1);
        let result;
        try {
          result = await exportAttempt(s, id, o.out, {
            signal,
            onProgress: (p) => bar.update(p.bytesTotal === 0 ? 1 : p.bytesDone / p.bytesTotal, p.file),
          });
        } finally {
          bar.stop();
        }
        out.result(
          result,
          () => `exported to ${result.folder} (${result.files.join(', ')}; ${formatBytes(result.bytes)})`,
        );
        return 0;
      }),
    );

  attempts
    .command('recover')
    .description('list recordings kept in orphaned-recordings/ (no row in the database), or re-import them')
    .argument('[ids...]', 'quarantined items to re-import, as listed (none: list them)')
    .option('--scenario <id>', 'the scenario they answer: <scenario> or <program>/<scenario>')
    .option('--all', 're-import every quarantined item that holds a recording')
    .action((ids: string[], o: { scenario?: string; all?: boolean }) =>
      run(async ({ out, store }) => {
        const s = await store();
        const items = await listQuarantinedRecordings(s);
        if (ids.length === 0 && !o.all) {
          out.result({ quarantined: items }, () =>
            items.length === 0
              ? 'No quarantined recordings.'
              : table(
                  ['ID', 'FILES'],
                  items.map((i) => [
                    i.id,
                    i.files.map((f) => `${f.name} ${formatBytes(f.bytes)}`).join(', ') || '(empty)',
                  ]),
                ) + `\n\nRe-import with: rehearse attempts recover <id...> --scenario <id> (or --all)`,
          );
          return 0;
        }
        if (o.scenario === undefined)
          throw new AppError(
            'INVALID_INPUT',
            'Name the scenario the recordings answer with --scenario <id>',
            {
              hint: '`rehearse packs list --scenarios` shows them.',
            },
          );
        const chosen = o.all ? items.filter((i) => i.files.some((f) => f.recording)).map((i) => i.id) : ids;
        const recovered: RecoveredAttempt[] = [];
        for (const id of chosen) recovered.push(await recoverQuarantined(s, id, o.scenario));
        out.result({ recovered }, () =>
          recovered.length === 0
            ? 'Nothing to re-import.'
            : recovered
                .map(
                  (r) =>
                    `recovered ${r.from} as attempt ${r.attemptId} (${r.recordings.map((x) => x.kind).join(', ')})`,
                )
                .join('\n'),
        );
        return 0;
      }),
    );
}
