// OpenPGP packets (RFC 4880 4.2): old- and new-format headers. Partial body
// lengths (a streamed packet) never occur in keys or signatures and are
// refused by name; an old-format indeterminate length runs to the end.

import { Writer } from './bytes';
import { fail } from './errors';

export const TAG_SIGNATURE: i32 = 2;
export const TAG_ONE_PASS: i32 = 4;
export const TAG_SECRET_KEY: i32 = 5;
export const TAG_PUBLIC_KEY: i32 = 6;
export const TAG_SECRET_SUBKEY: i32 = 7;
export const TAG_COMPRESSED: i32 = 8;
export const TAG_MARKER: i32 = 10;
export const TAG_LITERAL: i32 = 11;
export const TAG_TRUST: i32 = 12;
export const TAG_USER_ID: i32 = 13;
export const TAG_PUBLIC_SUBKEY: i32 = 14;
export const TAG_USER_ATTRIBUTE: i32 = 17;

export class Packet {
  constructor(
    public tag: i32,
    /** The body (a view of the input). */
    public body: Uint8Array,
    /** Header and body exactly as they were (a view). */
    public raw: Uint8Array,
  ) {}
}

/** Every packet of `data`; null (failure recorded) on a malformed header. `what` names the data. */
export function readPackets(data: Uint8Array, what: string): Packet[] | null {
  const packets: Packet[] = [];
  let pos = 0;
  while (pos < data.length) {
    const start = pos;
    const ctb = <i32>data[pos++];
    if ((ctb & 0x80) == 0) {
      fail(
        'the ' + what + ' is not OpenPGP data (bad packet header at byte ' + start.toString() + ')',
      );
      return null;
    }
    let tag: i32;
    let length: i64 = -1;
    if (ctb & 0x40) {
      tag = ctb & 0x3f;
      if (pos >= data.length) break;
      const first = <i32>data[pos++];
      if (first < 192) {
        length = first;
      } else if (first < 224) {
        if (pos >= data.length) break;
        length = ((first - 192) << 8) + <i32>data[pos++] + 192;
      } else if (first == 255) {
        if (pos + 4 > data.length) break;
        length =
          ((<i64>data[pos]) << 24) |
          ((<i64>data[pos + 1]) << 16) |
          ((<i64>data[pos + 2]) << 8) |
          (<i64>data[pos + 3]);
        pos += 4;
      } else {
        fail(
          'the ' +
            what +
            ' uses partial body lengths (a streamed packet), which this plugin does not read',
        );
        return null;
      }
    } else {
      tag = (ctb >> 2) & 15;
      const type = ctb & 3;
      if (type == 3) {
        length = data.length - pos; // indeterminate: to the end
      } else {
        const octets = type == 0 ? 1 : type == 1 ? 2 : 4;
        if (pos + octets > data.length) break;
        length = 0;
        for (let i = 0; i < octets; i++) length = (length << 8) | (<i64>data[pos++]);
      }
    }
    if (length < 0 || <i64>pos + length > <i64>data.length) {
      fail('the ' + what + ' is truncated (a packet runs past the end)');
      return null;
    }
    const end = pos + <i32>length;
    packets.push(new Packet(tag, data.subarray(pos, end), data.subarray(start, end)));
    pos = end;
  }
  if (pos != data.length) {
    fail('the ' + what + ' is truncated (a packet header runs past the end)');
    return null;
  }
  if (packets.length == 0) {
    fail('the ' + what + ' holds no OpenPGP packets');
    return null;
  }
  return packets;
}

/** A new-format packet header and body. */
export function writePacket(out: Writer, tag: i32, body: Uint8Array): void {
  out.byte(0xc0 | tag);
  const length = body.length;
  if (length < 192) {
    out.byte(length);
  } else if (length < 8384) {
    const rest = length - 192;
    out.byte((rest >> 8) + 192);
    out.byte(rest & 0xff);
  } else {
    out.byte(255);
    out.u32(<u32>length);
  }
  out.bytes(body);
}
