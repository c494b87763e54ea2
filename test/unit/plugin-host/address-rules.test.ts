import { describe, expect, it } from 'vitest';
import { forbiddenAddressRule } from '../../../electron/core/net/address-rules';

// Which addresses the checked fetch refuses after DNS, and by which rule.

describe('forbiddenAddressRule', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fdff:ffff::1', 'unique-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local (IPv4 inside IPv6)'],
    ['::192.168.0.1', 'private (IPv4 inside IPv6)'],
    ['fe80::1%eth0', 'link-local'],
    ['not-an-address', 'not an IP address'],
  ])('%s is refused as %s', (address, rule) => {
    // 255.255.255.255 is inside 224.0.0.0/4's neighbour 240.0.0.0/4; either name refuses it.
    if (address === '255.255.255.255')
      expect(forbiddenAddressRule(address)).toMatch(/broadcast|reserved/);
    else expect(forbiddenAddressRule(address)).toBe(rule);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('%s is public', (address) => {
    expect(forbiddenAddressRule(address)).toBeNull();
  });
});
