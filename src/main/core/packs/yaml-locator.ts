/**
 * Maps field paths (as zod reports them) to places in the YAML source, and source offsets back to
 * field paths (for YAML's own errors, which only know an offset).
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

type Segment = string | number;

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function start(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as Node).range;
    if (range) return range[0];
  }
  return undefined;
}

/** The pair holding `key` in a mapping, if there is one. */
export function findPair(doc: Document, map: unknown, key: Segment): Pair | undefined {
  const target = deref(doc, map);
  if (!isMap(target)) return undefined;
  return target.items.find((p) => keyText(p) === String(key));
}

/**
 * Where a field lives. For a scalar value, its value; for a collection reached through a key,
 * that key; for a field that is missing, the deepest mapping that exists on the way (the place
 * to add it).
 */
export function locatePath(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  pointAtKey = false,
): SourcePosition {
  let node: unknown = doc.contents;
  let anchor: number | undefined = start(node);
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const current = deref(doc, node);
    const last = i === path.length - 1;
    if (isMap(current) && (typeof segment === 'string' || typeof segment === 'number')) {
      const pair = findPair(doc, current, segment);
      if (!pair) break;
      const value = deref(doc, pair.value);
      const keyStart = start(pair.key);
      const valueStart = start(value);
      if (last && !pointAtKey && isScalar(value) && valueStart !== undefined) anchor = valueStart;
      else anchor = keyStart ?? valueStart ?? anchor;
      node = pair.value;
    } else if (isSeq(current) && typeof segment === 'number') {
      const item = current.items[segment];
      if (item === undefined) break;
      anchor = start(deref(doc, item)) ?? anchor;
      node = item;
    } else {
      break;
    }
  }
  return toPosition(lineCounter, anchor ?? 0);
}

export function toPosition(lineCounter: LineCounter, offset: number): SourcePosition {
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** The field path of the deepest node whose source range holds `offset` (best effort). */
export function pathAtOffset(doc: Document, offset: number): Segment[] {
  const path: Segment[] = [];
  let node: unknown = doc.contents;
  const contains = (n: unknown) => {
    const range = n && typeof n === 'object' && 'range' in n ? (n as Node).range : undefined;
    return range !== undefined && range !== null && offset >= range[0] && offset <= range[2];
  };
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (contains(p.key) || contains(p.value)));
      if (!pair) break;
      path.push(keyText(pair));
      if (contains(pair.key)) break;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item));
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else {
      break;
    }
  }
  return path;
}
