/** The outbound guard's pure parts: ranges, names, the allow-list and the pinned lookup. */
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../../src/server/config';
import {
  createOutboundGuard,
  isBlockedAddress,
  OutboundRefusal,
} from '../../../src/server/integrations/outbound-guard';

describe('outbound guard', () => {
  it('blocks every non-public range and lets public unicast through', () => {
    const blocked = [
      '0.0.0.0',
      '10.0.0.1',
      '100.64.0.1',
      '100.100.100.200',
      '127.0.0.1',
      '127.255.255.254',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.0.0.192',
      '192.168.0.1',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
      '64:ff9b::a00:1',
      'fc00::1',
      'fd00:ec2::254',
      'fe80::1',
      'ff02::1',
      'not-an-address',
    ];
    for (const address of blocked)
      expect({ address, blocked: isBlockedAddress(address) }).toEqual({ address, blocked: true });
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111'])
      expect({ address, blocked: isBlockedAddress(address) }).toEqual({ address, blocked: false });
  });

  it('refuses schemes, credentials, internal names and literals; the allow-list lets chosen hosts through', () => {
    const guard = createOutboundGuard({ allowHosts: ['127.0.0.1:8080', 'lrs.internal', '[::1]:9000'] });
    for (const url of [
      'ftp://example.com/',
      'http://u:p@example.com/',
      'http://localhost/',
      'http://a.localhost/',
      'http://metadata.google.internal./',
      'http://127.0.0.1:8081/',
      'http://0x7f000001:8080x/',
      'http://[::1]:9001/',
    ])
      expect(() => guard.checkTarget(url), url).toThrow(OutboundRefusal);
    for (const url of [
      'https://hooks.example.com/x',
      'http://127.0.0.1:8080/in',
      'http://2130706433:8080/',
      'https://lrs.internal/xapi',
      'http://[::1]:9000/',
    ])
      expect(guard.checkTarget(url).href).toBeTruthy();
  });

  it('pins: hands the socket only checked addresses, in both lookup shapes', async () => {
    const answers: Record<string, LookupAddress[]> = {
      'public.example': [{ address: '93.184.216.34', family: 4 }],
      'mixed.example': [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ],
    };
    const guard = createOutboundGuard({
      lookup: (hostname, _options, callback) => callback(null, answers[hostname] ?? []),
    });
    const lookup = (host: string, all: boolean) =>
      new Promise<unknown>((resolve, reject) =>
        guard.pinnedLookup(new URL(`https://${host}/`))(host, { all }, (error, address, family) =>
          error ? reject(error) : resolve(all ? address : [address, family]),
        ),
      );
    expect(await lookup('public.example', false)).toEqual(['93.184.216.34', 4]);
    expect(await lookup('public.example', true)).toEqual(answers['public.example']);
    await expect(lookup('mixed.example', true)).rejects.toBeInstanceOf(OutboundRefusal);
    await expect(lookup('nothing.example', false)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('reads REHEARSE_WEBHOOK_ALLOW_HOSTS and refuses an internal XAPI_ENDPOINT not on it', () => {
    const xapi = {
      XAPI_ENDPOINT: 'http://10.0.0.7:8080/xapi',
      XAPI_ACTIVITY_BASE: 'https://lms.example.com/x',
    };
    expect(() => loadServerConfig(xapi)).toThrow(/REHEARSE_WEBHOOK_ALLOW_HOSTS/);
    const config = loadServerConfig({ ...xapi, REHEARSE_WEBHOOK_ALLOW_HOSTS: ' 10.0.0.7:8080, [::1]:9000 ' });
    expect(config.outboundAllowHosts).toEqual(['10.0.0.7:8080', '[::1]:9000']);
    expect(loadServerConfig({}).outboundAllowHosts).toEqual([]);
    expect(() => loadServerConfig({ REHEARSE_WEBHOOK_ALLOW_HOSTS: 'http://x/y' })).toThrow();
  });
});
