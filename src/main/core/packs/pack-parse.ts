/**
 * Parses and validates the text of a scenario pack (format `rehearse-pack/1`), turning every problem
 * into a located PackIssue. Pure: no file system, so it also serves packs held in memory.
 *
 * Hostile input is refused before or during parsing: oversized text, binary content, YAML alias
 * bombs, custom tags (`!!js/function`, `!!binary`…), duplicate keys and multiple documents.
 */
import { isMap, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { PACK_FORMAT, scenarioPackSchema } from '../../../shared/pack/schema';
import type { ScenarioPack } from '../../../shared/pack/schema';
import { formatFieldPath, formatPackIssue, PackValidationError } from './pack-issues';
import type { PackIssue } from './pack-issues';
import { lintPack } from './pack-lint';
import { locatePath, pathAtOffset, toPosition } from './yaml-locator';
import { collectFieldNames, friendlyPackErrorMap, suggestFieldName } from './zod-messages';

/** Largest pack file accepted (1 MiB); media live beside it, not inside it. */
export const MAX_PACK_BYTES = 1024 * 1024;
/** Most alias expansions allowed when building the pack from YAML (guards against alias bombs). */
export const MAX_ALIAS_COUNT = 100;
/** Formats this version of Rehearse reads. */
export const SUPPORTED_PACK_FORMATS: readonly string[] = [PACK_FORMAT];

/** Tags a pack may spell out explicitly; anything else (`!!js/function`, `!!binary`, `!custom`) is refused. */
const ALLOWED_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

const KNOWN_FIELDS = collectFieldNames(scenarioPackSchema);

export interface ParsedPack {
  pack: ScenarioPack;
  /** Advice lines in the same `file:line:col path: message` form as errors. */
  warnings: string[];
}

/** What the loader needs beyond the pack: a way to point at fields for its own (media) checks. */
export interface ParsedPackSource extends ParsedPack {
  issueAt(path: (string | number)[], message: string): PackIssue;
}

export function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 2 : 0)} MiB`;
}

export function fileIssue(file: string, message: string): PackIssue {
  return { file, path: '', message };
}

function tooBigIssue(file: string, bytes: number): PackIssue {
  return fileIssue(
    file,
    `file is ${formatMiB(bytes)} (${bytes} bytes); a pack file may be at most 1 MiB (${MAX_PACK_BYTES} bytes) — keep media in separate files`,
  );
}

/** Refuses a file before parsing when its size alone rules it out. */
export function checkPackSize(file: string, bytes: number): void {
  if (bytes > MAX_PACK_BYTES) throw new PackValidationError([tooBigIssue(file, bytes)]);
}

function yamlMessage(error: YAMLError): string {
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return 'duplicate field (each field may appear only once in the same mapping)';
    case 'MULTIPLE_DOCS':
      return 'a pack file holds a single YAML document; remove the extra "---" document';
    default:
      return `YAML syntax error: ${error.message.replace(/^[A-Z]/, (c) => c.toLowerCase())}`;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and validates pack text; `fileName` is used in every message. Throws PackValidationError. */
export function parsePackText(text: string, fileName: string): ParsedPack {
  const { pack, warnings } = parsePackSource(text, fileName);
  return { pack, warnings };
}

export function parsePackSource(text: string, fileName: string): ParsedPackSource {
  const file = fileName;
  // A UTF-16 unit takes at most 3 UTF-8 bytes, so short text needs no encoding to be measured.
  if (text.length * 3 > MAX_PACK_BYTES) checkPackSize(file, new TextEncoder().encode(text).length);
  if (text.includes('\u0000'))
    throw new PackValidationError([
      fileIssue(file, 'is not a text file (it contains NUL bytes); a pack is a YAML text file'),
    ]);
  if (text.trim() === '')
    throw new PackValidationError([
      fileIssue(file, `file is empty; a pack starts with "format: ${PACK_FORMAT}"`),
    ]);

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    version: '1.2',
    schema: 'core',
    merge: false,
    resolveKnownTags: false,
  });

  const at = (path: (string | number | PropertyKey)[], message: string, pointAtKey = false): PackIssue => {
    const pos = locatePath(doc, lineCounter, path, pointAtKey);
    return { file, line: pos.line, column: pos.column, path: formatFieldPath(path), message };
  };
  const atOffset = (offset: number, message: string): PackIssue => {
    const pos = toPosition(lineCounter, offset);
    return {
      file,
      line: pos.line,
      column: pos.column,
      path: formatFieldPath(pathAtOffset(doc, offset)),
      message,
    };
  };

  const issues: PackIssue[] = doc.errors.map((e) => atOffset(e.pos[0], yamlMessage(e)));
  visit(doc, {
    Node(_key, node) {
      if (node.tag !== undefined && !ALLOWED_TAGS.has(node.tag)) {
        const shown = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
        issues.push(
          atOffset(node.range?.[0] ?? 0, `custom YAML tag ${shown} is not allowed; write plain values`),
        );
      }
    },
  });
  if (issues.length > 0) throw new PackValidationError(issues);
  const yamlWarnings = doc.warnings
    .filter((w) => w.code !== 'TAG_RESOLVE_FAILED')
    .map((w) => formatPackIssue(atOffset(w.pos[0], w.message)));

  if (doc.contents === null)
    throw new PackValidationError([
      fileIssue(file, `file has no content (only comments); a pack starts with "format: ${PACK_FORMAT}"`),
    ]);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new PackValidationError([aliasIssue(doc, atOffset, error)], { cause: error });
  }

  if (!isMap(doc.contents) || !isPlainObject(data))
    throw new PackValidationError([
      at([], `a pack must be a YAML mapping of fields, starting with "format: ${PACK_FORMAT}"`),
    ]);

  const format = data.format;
  if (format !== undefined && !SUPPORTED_PACK_FORMATS.includes(String(format))) {
    // A pack in another format would drown in misleading field errors: report the format alone.
    const supported = SUPPORTED_PACK_FORMATS.join(', ');
    const message =
      typeof format === 'string' && /^rehearse-pack\/\d+$/.test(format)
        ? `"${format}" is not supported; this version of Rehearse understands ${supported} (a newer Rehearse may read it)`
        : `must be "${PACK_FORMAT}"; this version of Rehearse understands ${supported}`;
    throw new PackValidationError([at(['format'], message)]);
  }

  const result = scenarioPackSchema.safeParse(data, { error: friendlyPackErrorMap });
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const suggestion = suggestFieldName(key, KNOWN_FIELDS);
          const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
          issues.push(at([...issue.path, key], `unknown field "${key}"${hint}`, true));
        }
      } else if (issue.path.length === 1 && issue.path[0] === 'format' && format === undefined) {
        issues.push(at(issue.path, `is required; write "format: ${PACK_FORMAT}" as the first line`));
      } else {
        issues.push(at(issue.path, issue.message));
      }
    }
    // One problem per field is enough to fix it (a drive path is both "not relative" and "bad characters").
    const seen = new Set<string>();
    throw new PackValidationError(issues.filter((i) => !seen.has(i.path) && seen.add(i.path)));
  }

  const pack = result.data;
  const lintWarnings = lintPack(pack, data).map((f) => formatPackIssue(at(f.path, f.message)));
  return {
    pack,
    warnings: [...yamlWarnings, ...lintWarnings],
    issueAt: (path, message) => at(path, message),
  };
}

function aliasIssue(
  doc: Document,
  atOffset: (offset: number, message: string) => PackIssue,
  error: unknown,
): PackIssue {
  let firstAlias: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      firstAlias = node.range?.[0];
      return visit.BREAK;
    },
  });
  const reason = error instanceof Error ? error.message : String(error);
  const isBomb = /alias/i.test(reason);
  const message = isBomb
    ? `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} expansions; this looks like an alias bomb)`
    : `YAML could not be read: ${reason}`;
  return atOffset(firstAlias ?? 0, message);
}
