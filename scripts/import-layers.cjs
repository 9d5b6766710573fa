// Turns the ordered folder lists of .dependency-cruiser.cjs into dependency-cruiser `forbidden`
// rules, and finds folders a list forgot (see docs/adr/0004-import-layers.md).
//
// An order lists a layer's entries from the bottom up. An entry is a folder or a file, named
// relative to the layer (`'metrics'`, `'errors.ts'`, `'core/util'`); an array is a level of peers
// that may not import one another. An entry may only import entries below it. A nested entry
// (`'core/util'` inside `'core'`) is a unit of its own, so `core`'s rules leave it out.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const levelsOf = (order) => order.map((level) => (Array.isArray(level) ? level : [level]));
const isFile = (entry) => /\.[a-z]+$/i.test(entry);
const pattern = (layer, entry) => `^${escapeRegExp(`${layer}/${entry}`)}${isFile(entry) ? '$' : '(/|$)'}`;

/** `from` or `to` of one entry: its own modules, without its nested entries'. */
function selector(layer, entry, entries) {
  const nested = entries.filter((other) => other !== entry && other.startsWith(`${entry}/`));
  return nested.length === 0
    ? { path: pattern(layer, entry) }
    : { path: pattern(layer, entry), pathNot: nested.map((other) => pattern(layer, other)) };
}

/** One rule per (entry, entry it may not import). */
function orderedFolderRules(orders) {
  const rules = [];
  for (const [layer, order] of Object.entries(orders)) {
    const levels = levelsOf(order);
    const entries = levels.flat();
    levels.forEach((level, i) => {
      for (const from of level) {
        const forbidden = [...level.filter((peer) => peer !== from), ...levels.slice(i + 1).flat()];
        for (const to of forbidden) {
          const peer = level.includes(to);
          rules.push({
            name: `layer-order:${layer}/${from}->${to}`,
            severity: 'error',
            comment: peer
              ? `${layer}: ${from} and ${to} are peers; neither imports the other (docs/adr/0004-import-layers.md)`
              : `${layer}: ${from} sits below ${to}, so it may not import it (docs/adr/0004-import-layers.md)`,
            from: selector(layer, from, entries),
            to: selector(layer, to, entries),
          });
        }
      }
    });
  }
  return rules;
}

/** Folders and .ts/.tsx files of a layer that its order does not name (each must be placed). */
function unlistedEntries(root, orders) {
  const missing = [];
  for (const [layer, order] of Object.entries(orders)) {
    const entries = new Set(levelsOf(order).flat());
    const dir = path.join(root, layer);
    if (!fs.existsSync(dir)) continue;
    for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
      const code = dirent.isDirectory() || /\.tsx?$/.test(dirent.name);
      if (!code || entries.has(dirent.name)) continue;
      // A folder that is itself a layer of its own (src/main/core) is listed in its parent's order.
      missing.push(`${layer}/${dirent.name}`);
    }
    for (const entry of entries)
      if (!fs.existsSync(path.join(dir, entry))) missing.push(`${layer}/${entry} (listed, but missing)`);
  }
  return missing;
}

module.exports = { orderedFolderRules, unlistedEntries };
