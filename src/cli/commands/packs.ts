/** `rehearse packs validate|import|list` */
import type { Command } from 'commander';
import { isPackValidationError, formatPackIssues } from '../../main/core/packs/pack-loader';
import {
  importPack,
  listProgramSummaries,
  listScenarioSummaries,
  validatePack,
} from '../../main/core/packs/packs-service';
import type { ImportResult } from '../../shared/api/types';
import { field, table } from '../format';
import type { Run } from '../run';

export function registerPacksCommands(program: Command, run: Run): void {
  const packs = program.command('packs').description('validate, import and list scenario packs');

  packs
    .command('validate')
    .description('check scenario packs without importing them (every problem is listed with file:line)')
    .argument('<paths...>', 'pack folders (holding pack.yaml) or YAML files')
    .action((paths: string[]) =>
      run(async ({ out }) => {
        const results: Array<{
          path: string;
          valid: boolean;
          programId?: string;
          version?: string;
          scenarios?: number;
          problems: string[];
          warnings: string[];
        }> = [];
        for (const p of paths) {
          try {
            const loaded = await validatePack(p);
            results.push({
              path: p,
              valid: true,
              programId: loaded.pack.program.id,
              version: loaded.pack.version,
              scenarios: loaded.pack.scenarios.length,
              problems: [],
              warnings: loaded.warnings,
            });
          } catch (error) {
            if (!isPackValidationError(error)) throw error;
            results.push({ path: p, valid: false, problems: formatPackIssues(error.issues), warnings: [] });
          }
        }
        out.result({ results }, () =>
          results
            .map((r) =>
              r.valid
                ? [
                    `✓ ${field(r.path)}: ${field(r.programId ?? '')} v${field(r.version ?? '')}, ${r.scenarios} scenarios`,
                    ...r.warnings.map((w) => `  warning: ${field(w)}`),
                  ].join('\n')
                : [
                    `✗ ${field(r.path)}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`,
                    ...r.problems.map((l) => `  ${field(l)}`),
                  ].join('\n'),
            )
            .join('\n'),
        );
        return results.every((r) => r.valid) ? 0 : 3;
      }),
    );

  packs
    .command('import')
    .description('validate and import scenario packs into the local library')
    .argument('<paths...>', 'pack folders (holding pack.yaml) or YAML files')
    .action((paths: string[]) =>
      run(async ({ out, store }) => {
        const s = await store();
        const bar = out.progress('Importing packs', paths.length);
        const results: ImportResult[] = [];
        try {
          for (const [i, p] of paths.entries()) {
            bar.update(i, p);
            results.push(await importPack(s, p));
          }
          bar.update(paths.length);
        } finally {
          bar.stop();
        }
        out.result({ imported: results }, () =>
          results
            .map((r) =>
              [
                `${r.outcome === 'unchanged' ? '=' : '✓'} ${field(r.title)} (${field(r.programId)}) v${field(r.version)}: ${r.scenarioCount} scenarios, ${r.outcome}`,
                ...r.warnings.map((w) => `  warning: ${field(w)}`),
              ].join('\n'),
            )
            .join('\n'),
        );
        return 0;
      }),
    );

  packs
    .command('list')
    .description('list imported programs, or their scenarios with --scenarios')
    .option('--scenarios', 'list scenarios instead of programs')
    .option('--program <id>', 'only this program')
    .action((options: { scenarios?: boolean; program?: string }) =>
      run(async ({ out, store }) => {
        const s = await store();
        if (options.scenarios || options.program) {
          const scenarios = await listScenarioSummaries(s, options.program);
          out.result({ scenarios }, () =>
            scenarios.length === 0
              ? 'No scenarios yet. Import a pack: rehearse packs import resources/packs/demo'
              : table(
                  ['PROGRAM/SCENARIO', 'KIND', 'TITLE', 'ANSWER', 'CRITERIA', 'PASS'],
                  scenarios.map((sc) => [
                    `${sc.programId}/${sc.id}`,
                    sc.kind,
                    sc.title,
                    `${sc.answerSeconds}s`,
                    String(sc.criteriaCount),
                    String(sc.passMark),
                  ]),
                ),
          );
          return 0;
        }
        const programs = await listProgramSummaries(s);
        out.result({ programs }, () =>
          programs.length === 0
            ? 'No packs imported yet. Try: rehearse packs import resources/packs/demo'
            : table(
                ['PROGRAM', 'TITLE', 'VENDOR', 'VERSION', 'SCENARIOS'],
                programs.map((p) => [p.id, p.title, p.vendor, p.packVersion, String(p.scenarioCount)]),
              ),
        );
        return 0;
      }),
    );
}
