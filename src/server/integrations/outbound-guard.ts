/**
 * The guard on the server's own outgoing requests (webhooks, the LRS), against server-side request
 * forgery: a vendor admin chooses a webhook URL, so without it the server would POST, from inside
 * its network, to the cloud metadata service, a database port or an admin page on 127.0.0.1.
 *
 * - `checkTarget` refuses a URL that is not http(s), carries credentials, names a well-known
 *   internal host (`localhost`, `*.internal`, `metadata.google.internal`…) or is a literal address in
 *   a non-public range (see BLOCKED_RANGES). It is run when a subscription is created (a clear 400)
 *   and again before every delivery.
 * - `pinnedLookup` is the DNS lookup the delivery's socket uses: it resolves the name, refuses when
 *   any address is in a blocked range, and hands the socket exactly the checked addresses, so a name
 *   that resolves to a public address at check time and to 127.0.0.1 at connect time (DNS
 *   rebinding) cannot slip through; there is no second lookup.
 * - An administrator may let the server reach chosen hosts anyway (REHEARSE_WEBHOOK_ALLOW_HOSTS:
 *   `host:port` or `host`), e.g. an LRS on the private network or a test receiver on 127.0.0.1.
 *
 * Range checks use Node's net.BlockList; URL parsing (WHATWG) already turns `0x7f000001`,
 * `2130706433` or `0177.1` into `127.0.0.1`, so no address is parsed by hand.
 */
import dns, { type LookupAddress, type LookupAllOptions } from 'node:dns';
import net from 'node:net';

/** IANA special-purpose and non-public ranges (RFC 6890 and successors), by family. */
const BLOCKED_RANGES: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network", unspecified
  ['10.0.0.0', 8, 'ipv4'], // private
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT (and Alibaba's metadata 100.100.100.200)
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local (AWS/GCP/Azure metadata 169.254.169.254)
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments (Oracle's metadata 192.0.0.192)
  ['192.0.2.0', 24, 'ipv4'], // documentation
  ['192.88.99.0', 24, 'ipv4'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['198.51.100.0', 24, 'ipv4'], // documentation
  ['203.0.113.0', 24, 'ipv4'], // documentation
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 96, 'ipv6'], // unspecified, loopback, IPv4-compatible
  ['::ffff:0:0', 96, 'ipv6'], // IPv4-mapped
  ['64:ff9b::', 96, 'ipv6'], // NAT64 (reaches IPv4 behind the translator)
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['100::', 64, 'ipv6'], // discard-only
  ['2001::', 23, 'ipv6'], // IETF protocol assignments (Teredo…)
  ['2001:db8::', 32, 'ipv6'], // documentation
  ['2002::', 16, 'ipv6'], // 6to4 (embeds an IPv4 address)
  ['fc00::', 7, 'ipv6'], // unique-local (AWS's metadata fd00:ec2::254)
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
  ['ff00::', 8, 'ipv6'], // multicast
];

// One list per family: a BlockList compares an IPv4 address with IPv6 rules as if it were
// IPv4-mapped, so the ::ffff:0:0/96 rule would otherwise block every IPv4 address.
const blocked = { ipv4: new net.BlockList(), ipv6: new net.BlockList() };
for (const [address, prefix, family] of BLOCKED_RANGES) blocked[family].addSubnet(address, prefix, family);

/** Names that are internal by definition, whatever they resolve to here. */
const BLOCKED_NAMES = new Set(['localhost', 'metadata', 'metadata.google.internal', 'metadata.goog']);
const BLOCKED_SUFFIXES = ['.localhost', '.internal', '.local', '.home.arpa'];

/** True when the address is not a public unicast address (or not an address at all). */
export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  return family === 4 ? blocked.ipv4.check(address, 'ipv4') : blocked.ipv6.check(address, 'ipv6');
}

/** The hostname without IPv6 brackets or a trailing dot, lower-cased: what the checks compare. */
const bare = (hostname: string) =>
  hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
/** The hostname as the allow-list keys it (IPv6 keeps its brackets, so `[::1]:80` is unambiguous). */
const hostKey = (hostname: string) => hostname.replace(/\.$/, '').toLowerCase();

function isBlockedName(hostname: string): boolean {
  return BLOCKED_NAMES.has(hostname) || BLOCKED_SUFFIXES.some((suffix) => hostname.endsWith(suffix));
}

/** Why a target was refused; `message` is safe to show the admin who chose the URL. */
export class OutboundRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusal';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
type LookupAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface OutboundGuardOptions {
  /** `host:port` or `host` (any port), as REHEARSE_WEBHOOK_ALLOW_HOSTS lists them. */
  allowHosts?: readonly string[];
  /** The resolver (tests inject one that maps names to 127.0.0.1); dns.lookup by default. */
  lookup?: LookupAll;
}

export interface OutboundGuard {
  /** The parsed URL, or throws OutboundRefusal. Resolves nothing: cheap enough for a request. */
  checkTarget(url: string): URL;
  /** Whether the admin allowed this URL's host (then no address check applies). */
  isAllowed(url: URL): boolean;
  /** A `lookup` for http.request that validates every resolved address and pins them. */
  pinnedLookup(url: URL): net.LookupFunction;
}

const defaultPort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** One allow-list entry as `host` or `host:port`, normalised the way URL normalises hosts. */
export function normaliseAllowEntry(entry: string): string {
  const url = new URL(`http://${entry.trim()}`);
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash)
    throw new Error(`not a host or host:port: ${entry}`);
  const host = hostKey(url.hostname);
  const explicitPort = /:\d+$/.test(entry.trim());
  return explicitPort ? `${host}:${url.port || '80'}` : host;
}

export function createOutboundGuard(options: OutboundGuardOptions = {}): OutboundGuard {
  const allow = new Set((options.allowHosts ?? []).map(normaliseAllowEntry));
  const lookupAll: LookupAll =
    options.lookup ?? ((hostname, opts, callback) => dns.lookup(hostname, opts, callback));

  const isAllowed = (url: URL) => {
    const host = hostKey(url.hostname);
    return allow.has(host) || allow.has(`${host}:${defaultPort(url)}`);
  };

  function checkTarget(value: string): URL {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new OutboundRefusal('The URL is not valid');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new OutboundRefusal('Only http and https URLs are allowed');
    if (url.username || url.password) throw new OutboundRefusal('The URL must not contain credentials');
    if (isAllowed(url)) return url;
    const host = bare(url.hostname);
    if (net.isIP(host) !== 0 ? isBlockedAddress(host) : isBlockedName(host))
      throw new OutboundRefusal(
        'The URL points at a private, loopback, link-local or otherwise internal address, which is not allowed',
      );
    return url;
  }

  function pinnedLookup(url: URL): net.LookupFunction {
    const skipCheck = isAllowed(url);
    return ((hostname: string, lookupOptions: dns.LookupOptions, callback: LookupCallback) => {
      lookupAll(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        if (addresses.length === 0)
          return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
        if (!skipCheck && addresses.some((a) => isBlockedAddress(a.address)))
          return callback(new OutboundRefusal(`${hostname} resolves to an address that is not allowed`), []);
        if (lookupOptions.all) return callback(null, addresses);
        const [first] = addresses;
        return callback(null, first?.address ?? '', first?.family ?? 4);
      });
    }) as net.LookupFunction;
  }

  return { checkTarget, isAllowed, pinnedLookup };
}
