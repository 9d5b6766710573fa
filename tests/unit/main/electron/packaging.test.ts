/**
 * electron-builder.yml, read as electron-builder reads it: the Electron fuses it flips in the
 * packaged binary (checked against electron-builder's own JSON schema, so a misspelt fuse fails
 * here instead of being dropped silently) and the asar settings the fuses depend on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../../../..');
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;
const schema = JSON.parse(
  readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
) as { definitions: { FuseOptionsV1: { properties: Record<string, { type: string }> } } };

describe('electron-builder.yml: Electron fuses', () => {
  const fuses = config.electronFuses as Record<string, unknown> | undefined;

  it('sets only fuses electron-builder knows, each as a boolean', () => {
    expect(fuses).toBeTypeOf('object');
    const known = schema.definitions.FuseOptionsV1.properties;
    for (const [name, value] of Object.entries(fuses ?? {})) {
      expect(Object.hasOwn(known, name), `unknown fuse ${name}`).toBe(true);
      expect(typeof value, name).toBe('boolean');
    }
  });

  it('closes the Node entry points and locks the app to an integrity-checked app.asar', () => {
    expect(fuses).toMatchObject({
      // ELECTRON_RUN_AS_NODE, NODE_OPTIONS / NODE_EXTRA_CA_CERTS, --inspect and SIGUSR1: off.
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // The renderer is served from rehearse-app://, so file:// pages need no extra rights.
      grantFileProtocolExtraPrivileges: false,
      // No custom browser-process V8 snapshot is shipped.
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('packs the app into app.asar (onlyLoadAppFromAsar would find no app otherwise)', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**');
  });
});
