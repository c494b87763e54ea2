import { ZipFile } from 'yazl';

// Writes a zip that is the same bytes every time for the same files: entries in
// sorted order, one fixed timestamp, fixed modes, DOS timestamps only (no
// extended-time extra field), deflate at a fixed level. Reproducible archives
// let anyone re-pack a plugin's sources and compare the hash the store signed.

const FIXED_MTIME = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));
const FILE_MODE = 0o100644;

export function writeDeterministicZip(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const zip = new ZipFile();
  const names = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const data = files.get(name);
    if (!data) continue;
    zip.addBuffer(data, name, {
      mtime: FIXED_MTIME,
      mode: FILE_MODE,
      compress: true,
      compressionLevel: 9,
      forceDosTimestamp: true,
    });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
