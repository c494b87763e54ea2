import { crc32, deflateRawSync } from 'node:zlib';

// A tiny zip writer for tests that need archives no honest tool writes:
// "../" names, absolute paths, symlink modes, lying sizes, overlapping data,
// local headers that disagree with the central directory. Good zips in tests
// come from the real packer; this is only for the hostile ones.

export interface CraftEntry {
  /** The central directory's name (raw bytes when a Buffer). */
  name: string | Buffer;
  data?: Buffer;
  /** 0 stored, 8 deflate (default). */
  method?: 0 | 8;
  /** Uncompressed size to declare instead of the real one. */
  declaredSize?: number;
  /** External attributes; a Unix mode goes in the upper 16 bits. Default: regular file 0644. */
  externalAttributes?: number;
  /** The name written in the local header, when it should differ. */
  localName?: string;
  /** Write no local record; the central entry points at this offset instead. */
  centralOnlyAt?: number;
}

export const UNIX_MODE = (mode: number) => (mode << 16) >>> 0;
export const SYMLINK_ATTRIBUTES = UNIX_MODE(0o120777);
export const REGULAR_ATTRIBUTES = UNIX_MODE(0o100644);

const MADE_BY_UNIX = (3 << 8) | 20;

interface Prepared {
  name: Buffer;
  localName: Buffer;
  compressed: Buffer;
  crc: number;
  size: number;
  method: number;
}

function prepare(entry: CraftEntry): Prepared {
  const data = entry.data ?? Buffer.alloc(0);
  const method = entry.method ?? 8;
  const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'latin1') : entry.name;
  return {
    name,
    localName: entry.localName === undefined ? name : Buffer.from(entry.localName, 'latin1'),
    compressed: method === 8 ? deflateRawSync(data) : data,
    crc: crc32(data) >>> 0,
    size: entry.declaredSize ?? data.length,
    method,
  };
}

/** The local file header and data of one entry, for placing inside another entry's data. */
export function localRecord(entry: CraftEntry): Buffer {
  const p = prepare(entry);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(0x800, 6);
  header.writeUInt16LE(p.method, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(0x2821, 12);
  header.writeUInt32LE(p.crc, 14);
  header.writeUInt32LE(p.compressed.length, 18);
  header.writeUInt32LE(p.size, 22);
  header.writeUInt16LE(p.localName.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, p.localName, p.compressed]);
}

export function craftZip(entries: CraftEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const p = prepare(entry);
    let at = entry.centralOnlyAt;
    if (at === undefined) {
      at = offset;
      const local = localRecord(entry);
      locals.push(local);
      offset += local.length;
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(p.method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x2821, 14);
    central.writeUInt32LE(p.crc, 16);
    central.writeUInt32LE(p.compressed.length, 20);
    central.writeUInt32LE(p.size, 24);
    central.writeUInt16LE(p.name.length, 28);
    central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE((entry.externalAttributes ?? REGULAR_ATTRIBUTES) >>> 0, 38);
    central.writeUInt32LE(at, 42);
    centrals.push(Buffer.concat([central, p.name]));
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, directory, end]);
}

/** Files as craft entries, in map order, all deflated regular files. */
export function entriesOf(files: ReadonlyMap<string, Buffer>): CraftEntry[] {
  return [...files].map(([name, data]) => ({ name, data }));
}
