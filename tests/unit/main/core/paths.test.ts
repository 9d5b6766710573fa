import { describe, expect, it } from 'vitest';
import { dataPaths, resolveDataDir } from '../../../../src/main/core/paths';

describe('resolveDataDir', () => {
  it('uses REHEARSE_DATA_DIR when set, made absolute', () => {
    expect(resolveDataDir({ REHEARSE_DATA_DIR: '/srv/rehearse' }, 'linux', '/home/ann')).toBe(
      '/srv/rehearse',
    );
    expect(resolveDataDir({ REHEARSE_DATA_DIR: 'rel/dir' }, 'linux', '/home/ann')).toBe(
      `${process.cwd()}/rel/dir`,
    );
  });

  it('ignores an empty REHEARSE_DATA_DIR', () => {
    expect(resolveDataDir({ REHEARSE_DATA_DIR: '  ' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.local/share/rehearse',
    );
  });

  it('Linux: XDG_DATA_HOME when absolute, else ~/.local/share', () => {
    expect(resolveDataDir({ XDG_DATA_HOME: '/data/xdg' }, 'linux', '/home/ann')).toBe('/data/xdg/rehearse');
    expect(resolveDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.local/share/rehearse',
    );
    expect(resolveDataDir({}, 'freebsd', '/home/ann')).toBe('/home/ann/.local/share/rehearse');
  });

  it('macOS: ~/Library/Application Support/Rehearse', () => {
    expect(resolveDataDir({}, 'darwin', '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/Rehearse',
    );
  });

  it('Windows: %APPDATA%\\Rehearse, falling back to the roaming profile folder', () => {
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Rehearse',
    );
    expect(resolveDataDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\Rehearse');
  });
});

describe('dataPaths', () => {
  it('puts everything inside the data folder', () => {
    expect(dataPaths('/d')).toEqual({
      dataDir: '/d',
      db: '/d/rehearse.sqlite',
      recordings: '/d/recordings',
      tmp: '/d/tmp',
      lock: '/d/rehearse.lock',
      models: '/d/models',
      captures: '/d/captures',
    });
  });
});
