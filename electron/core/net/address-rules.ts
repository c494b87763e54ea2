import { BlockList, isIP } from 'node:net';

// Which IP addresses an outgoing request from a plugin or an agent may reach.
// Everything that is not the public Internet is refused: a plugin must never
// use the person's machine to reach their router, their LAN, a cloud metadata
// service or a daemon on loopback. Each range has a name, so an error can say
// which rule refused an address.

interface Rule {
  name: string;
  list: BlockList;
}

function rule(name: string, ranges: [string, number, 'ipv4' | 'ipv6'][]): Rule {
  const list = new BlockList();
  for (const [network, prefix, family] of ranges) list.addSubnet(network, prefix, family);
  return { name, list };
}

// Node's BlockList matches IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) against
// IPv4 rules itself; NAT64 and IPv4-compatible forms are unwrapped below.
const RULES: Rule[] = [
  rule('unspecified', [
    ['0.0.0.0', 8, 'ipv4'],
    ['::', 128, 'ipv6'],
  ]),
  rule('loopback', [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ]),
  rule('private', [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
  ]),
  rule('carrier-grade NAT', [['100.64.0.0', 10, 'ipv4']]),
  rule('link-local', [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ]),
  rule('unique-local', [['fc00::', 7, 'ipv6']]),
  rule('site-local', [['fec0::', 10, 'ipv6']]),
  rule('multicast', [
    ['224.0.0.0', 4, 'ipv4'],
    ['ff00::', 8, 'ipv6'],
  ]),
  rule('broadcast', [['255.255.255.255', 32, 'ipv4']]),
  rule('reserved', [
    ['240.0.0.0', 4, 'ipv4'],
    ['192.0.0.0', 24, 'ipv4'],
    ['192.0.2.0', 24, 'ipv4'],
    ['198.18.0.0', 15, 'ipv4'],
    ['198.51.100.0', 24, 'ipv4'],
    ['203.0.113.0', 24, 'ipv4'],
    ['100::', 64, 'ipv6'],
    ['2001:db8::', 32, 'ipv6'],
  ]),
];

/** Expands an IPv6 address to its eight 16-bit groups, or null if it is not one. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.split('%')[0] ?? '';
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const bytes = dotted[1].split('.').map(Number);
    tail.push(((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0), ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0));
    text = text.slice(0, -dotted[1].length) + '0:0';
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const groups =
    rest === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  if (tail.length) groups.splice(6, 2, ...tail);
  return groups.length === 8 ? groups : null;
}

/** The IPv4 address an IPv6 one carries (NAT64 64:ff9b::/96, IPv4-compatible ::/96), if any. */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const low = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return low(g[6] ?? 0, g[7] ?? 0);
  if (zeros(0, 5) && g[5] === 0xffff) return low(g[6] ?? 0, g[7] ?? 0);
  // ::a.b.c.d (deprecated IPv4-compatible), but not :: and ::1 themselves.
  if (zeros(0, 6) && ((g[6] ?? 0) !== 0 || (g[7] ?? 0) > 1)) return low(g[6] ?? 0, g[7] ?? 0);
  return null;
}

/**
 * The name of the rule that refuses this address ("loopback", "private", ...),
 * or null when it is a public unicast address. Anything that does not parse as
 * an IP address is refused as "not an IP address".
 */
export function forbiddenAddressRule(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { name, list } of RULES) if (list.check(address, type)) return name;
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner) {
      const innerRule = forbiddenAddressRule(inner);
      if (innerRule) return `${innerRule} (IPv4 inside IPv6)`;
    }
  }
  return null;
}
