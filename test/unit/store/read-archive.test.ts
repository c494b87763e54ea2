import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../electron/core/store/archive/descriptor';
import { readPluginArchive } from '../../../electron/core/store/archive/read-archive';
import { craftZip, entriesOf, localRecord, UNIX_MODE } from '../../support/zip-craft';
import { APP_VERSION, MINI_TOML, miniArchive } from './mini-plugin';

// The reader's checks one by one, on the small synthetic plugin; each hostile
// zip differs from a valid one in exactly the way the test names.

const read = (bytes: Buffer, options: { expectedSha256?: string; expectedSize?: number } = {}) =>
  readPluginArchive(bytes, { appVersion: APP_VERSION, ...options });

function withFile(files: Map<string, Buffer>, name: string, data: Buffer): Map<string, Buffer> {
  return new Map([...files, [name, data]]);
}

function editDescriptor(
  files: Map<string, Buffer>,
  edit: (descriptor: Record<string, unknown>) => void,
): Map<string, Buffer> {
  const descriptor = JSON.parse(files.get('custodian-plugin.json')?.toString() ?? '{}');
  edit(descriptor);
  return withFile(files, 'custodian-plugin.json', Buffer.from(JSON.stringify(descriptor)));
}

describe('readPluginArchive: accepting', () => {
  it('reads a packed archive back, checking the promised size and hash', async () => {
    const { bytes } = await miniArchive({ 'icon.svg': '<svg/>' });
    const archive = await read(bytes, {
      expectedSha256: sha256Hex(bytes),
      expectedSize: bytes.length,
    });
    expect(archive.sha256).toBe(sha256Hex(bytes));
    expect(archive.manifest.plugin.name).toBe('mini');
    expect([...archive.files.keys()].sort()).toEqual([
      'custodian-plugin.json',
      'icon.svg',
      'mini.wasm',
      'plugin.toml',
    ]);
  });

  it('accepts a zip written by another tool, stored entries and no mode bits', async () => {
    const { files } = await miniArchive();
    const entries = entriesOf(files).map((entry) => ({
      ...entry,
      method: 0 as const,
      externalAttributes: 0,
    }));
    await expect(read(craftZip(entries))).resolves.toMatchObject({ descriptor: { id: 'mini' } });
  });
});

describe('readPluginArchive: the archive as a whole', () => {
  it('refuses a wrong size and a wrong hash before opening the zip', async () => {
    const { bytes } = await miniArchive();
    await expect(read(bytes, { expectedSize: bytes.length + 1 })).rejects.toMatchObject({
      code: 'refused',
      reason: 'archive_size',
    });
    await expect(read(bytes, { expectedSha256: '0'.repeat(64) })).rejects.toMatchObject({
      code: 'refused',
      reason: 'archive_hash',
    });
    // Garbage with the promised hash still fails only as a zip: the hash check came first.
    const garbage = Buffer.from('not a zip at all');
    await expect(read(garbage, { expectedSha256: sha256Hex(bytes) })).rejects.toMatchObject({
      code: 'refused',
      reason: 'archive_hash',
    });
    await expect(read(garbage)).rejects.toMatchObject({ code: 'refused', reason: 'bad_zip' });
  });
});

describe('readPluginArchive: entry metadata', () => {
  it.each([
    ['../plugin.toml', 'path_traversal'],
    ['docs/../../x', 'path_traversal'],
    ['..\\x.wasm', 'path_traversal'],
    ['/etc/passwd', 'absolute_path'],
    ['\\windows\\x', 'absolute_path'],
    ['C:\\x.wasm', 'absolute_path'],
    ['c:/x.wasm', 'absolute_path'],
    ['docs/', 'not_a_file'],
    ['sub/plugin.toml', 'unexpected_file'],
    ['run.sh', 'unexpected_file'],
    ['READ ME.md', 'bad_name'],
    ['a\\b', 'bad_name'],
  ])('refuses an entry named %j (%s)', async (name, code) => {
    const { files } = await miniArchive();
    const zip = craftZip([...entriesOf(files), { name, data: Buffer.from('x') }]);
    await expect(read(zip)).rejects.toMatchObject({
      code: 'refused',
      reason: code,
      message: expect.stringContaining(JSON.stringify(name)),
    });
  });

  it('refuses a non-ASCII name as raw bytes', async () => {
    const { files } = await miniArchive();
    const zip = craftZip([...entriesOf(files), { name: Buffer.from('icôn.png', 'utf8') }]);
    await expect(read(zip)).rejects.toMatchObject({ code: 'refused', reason: 'bad_name' });
  });

  it.each([
    ['a symlink', UNIX_MODE(0o120777), 'link'],
    ['a directory mode', UNIX_MODE(0o040755), 'not_a_file'],
    ['a fifo', UNIX_MODE(0o010644), 'not_a_file'],
    ['an MS-DOS directory attribute', 0x10, 'not_a_file'],
  ])('refuses %s', async (_label, externalAttributes, code) => {
    const { files } = await miniArchive();
    const entries = entriesOf(files).map((entry) =>
      entry.name === 'plugin.toml' ? { ...entry, externalAttributes } : entry,
    );
    await expect(read(craftZip(entries))).rejects.toMatchObject({ code: 'refused', reason: code });
  });

  it('refuses duplicate names, also ones that differ only in case', async () => {
    const { files } = await miniArchive();
    const twice = craftZip([
      ...entriesOf(files),
      { name: 'plugin.toml', data: Buffer.from(MINI_TOML) },
    ]);
    await expect(read(twice)).rejects.toMatchObject({ code: 'refused', reason: 'duplicate' });
    const cased = craftZip([...entriesOf(files), { name: 'MINI.wasm', data: Buffer.from('x') }]);
    await expect(read(cased)).rejects.toMatchObject({
      code: 'refused',
      reason: 'duplicate',
      message: expect.stringContaining('case'),
    });
  });

  it('refuses a second wasm module', async () => {
    const { files } = await miniArchive();
    const zip = craftZip([...entriesOf(files), { name: 'other.wasm', data: Buffer.from('x') }]);
    await expect(read(zip)).rejects.toMatchObject({ code: 'refused', reason: 'unexpected_file' });
  });

  it('refuses more entries than the cap before reading any', async () => {
    const entries = Array.from({ length: 17 }, (_, i) => ({
      name: `../${i}`,
      data: Buffer.from('x'),
    }));
    await expect(read(craftZip(entries))).rejects.toMatchObject({
      code: 'refused',
      reason: 'too_many_entries',
    });
  });

  it('refuses a declared size above the file cap and a declared total above the total cap', async () => {
    const { files } = await miniArchive();
    const big = craftZip([
      ...entriesOf(files),
      { name: 'README.md', data: Buffer.from('x'), declaredSize: 17 * 1024 * 1024 },
    ]);
    await expect(read(big)).rejects.toMatchObject({
      code: 'refused',
      reason: 'too_large',
      message: expect.stringContaining('README.md'),
    });
    const many = craftZip([
      ...entriesOf(files),
      { name: 'README.md', declaredSize: 12 * 1024 * 1024 },
      { name: 'icon.png', declaredSize: 12 * 1024 * 1024 },
      { name: 'icon.svg', declaredSize: 12 * 1024 * 1024 },
    ]);
    await expect(read(many)).rejects.toMatchObject({
      code: 'refused',
      reason: 'too_large',
      message: expect.stringContaining('total'),
    });
  });

  it('refuses encrypted entries and unknown compression methods', async () => {
    const { files } = await miniArchive();
    const zip = craftZip(entriesOf(files));
    // Patch the first central header: compression method 14 (LZMA).
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const lzma = Buffer.from(zip);
    lzma.writeUInt16LE(14, central + 10);
    await expect(read(lzma)).rejects.toMatchObject({
      code: 'refused',
      reason: 'unsupported_entry',
    });
    const encrypted = Buffer.from(zip);
    encrypted.writeUInt16LE(0x801, central + 8);
    await expect(read(encrypted)).rejects.toMatchObject({
      code: 'refused',
      reason: 'unsupported_entry',
    });
  });
});

describe('readPluginArchive: entry data', () => {
  it('refuses an entry that inflates past its declared size (zip bomb)', async () => {
    const { files } = await miniArchive();
    const zip = craftZip([
      ...entriesOf(files),
      { name: 'README.md', data: Buffer.alloc(8 * 1024 * 1024), declaredSize: 1000 },
    ]);
    await expect(read(zip)).rejects.toMatchObject({
      code: 'refused',
      reason: 'zip_bomb',
      message: expect.stringContaining('README.md'),
    });
  });

  it('refuses entries that share compressed data', async () => {
    const { files } = await miniArchive();
    const inner = { name: 'icon.png', data: Buffer.alloc(1000), method: 0 as const };
    const outerName = 'README.md';
    const zip = craftZip([
      { name: outerName, data: localRecord(inner), method: 0 },
      { ...inner, centralOnlyAt: 30 + outerName.length },
      ...entriesOf(files),
    ]);
    await expect(read(zip)).rejects.toMatchObject({
      code: 'refused',
      reason: 'zip_bomb',
      message: expect.stringContaining('share'),
    });
  });

  it('refuses a local header whose name differs from the central directory', async () => {
    const { files } = await miniArchive();
    const entries = entriesOf(files).map((entry) =>
      entry.name === 'plugin.toml' ? { ...entry, localName: '../plugin.toml' } : entry,
    );
    await expect(read(craftZip(entries))).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_zip',
    });
  });

  it('refuses an entry shorter than declared, and a CRC mismatch', async () => {
    const { files } = await miniArchive();
    const short = craftZip([
      ...entriesOf(files),
      { name: 'README.md', data: Buffer.from('abc'), declaredSize: 10 },
    ]);
    await expect(read(short)).rejects.toMatchObject({ code: 'refused', reason: 'bad_zip' });
    const zip = craftZip(entriesOf(files));
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE((zip.readUInt32LE(central + 16) ^ 1) >>> 0, central + 16);
    await expect(read(zip)).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_zip',
      message: expect.stringContaining('CRC'),
    });
  });
});

describe('readPluginArchive: descriptor and manifest', () => {
  it('refuses a file whose bytes or size differ from the descriptor', async () => {
    const { files } = await miniArchive({ 'README.md': 'hello' });
    await expect(
      read(craftZip(entriesOf(withFile(files, 'README.md', Buffer.from('HELLO'))))),
    ).rejects.toMatchObject({
      code: 'refused',
      reason: 'file_hash',
      message: expect.stringContaining('README.md'),
    });
    await expect(
      read(craftZip(entriesOf(withFile(files, 'README.md', Buffer.from('hello!'))))),
    ).rejects.toMatchObject({
      code: 'refused',
      reason: 'file_size',
    });
  });

  it('refuses a file the descriptor does not list, and a listed file that is missing', async () => {
    const { files } = await miniArchive();
    await expect(
      read(craftZip(entriesOf(withFile(files, 'README.md', Buffer.from('x'))))),
    ).rejects.toMatchObject({
      code: 'refused',
      reason: 'descriptor_mismatch',
    });
    const { files: withReadme } = await miniArchive({ 'README.md': 'x' });
    withReadme.delete('README.md');
    await expect(read(craftZip(entriesOf(withReadme)))).rejects.toMatchObject({
      code: 'refused',
      reason: 'missing_file',
    });
  });

  it.each([
    ['id', (d: Record<string, unknown>) => (d.id = 'other')],
    ['version', (d: Record<string, unknown>) => (d.version = '9.9.9')],
    [
      'capabilities',
      (d: Record<string, unknown>) =>
        (d.capabilities = { crypto: true, log: true, http: ['api.example.com'] }),
    ],
    ['tools', (d: Record<string, unknown>) => (d.tools = [])],
    ['credential_types', (d: Record<string, unknown>) => (d.credential_types = ['other'])],
  ])('refuses a descriptor whose %s disagrees with plugin.toml', async (field, edit) => {
    const { files } = await miniArchive();
    await expect(read(craftZip(entriesOf(editDescriptor(files, edit))))).rejects.toMatchObject({
      code: 'refused',
      reason: 'descriptor_mismatch',
      message: expect.stringContaining(field),
    });
  });

  it('compares http hosts as a set', async () => {
    const toml = MINI_TOML.replace('["api.example.com"]', '["api.example.com", "b.example.com"]');
    const { files } = await miniArchive();
    const edited = withFile(files, 'plugin.toml', Buffer.from(toml));
    const reordered = editDescriptor(edited, (d) => {
      d.capabilities = { crypto: true, log: false, http: ['b.example.com', 'api.example.com'] };
      d.files = (d.files as { path: string }[]).map((f) =>
        f.path === 'plugin.toml'
          ? { path: f.path, size: Buffer.byteLength(toml), sha256: sha256Hex(Buffer.from(toml)) }
          : f,
      );
    });
    await expect(read(craftZip(entriesOf(reordered)))).resolves.toBeDefined();
  });

  it('refuses a missing or malformed descriptor', async () => {
    const { files } = await miniArchive();
    const without = new Map(files);
    without.delete('custodian-plugin.json');
    await expect(read(craftZip(entriesOf(without)))).rejects.toMatchObject({
      code: 'refused',
      reason: 'missing_file',
    });
    await expect(
      read(craftZip(entriesOf(withFile(files, 'custodian-plugin.json', Buffer.from('{'))))),
    ).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_descriptor',
    });
    await expect(
      read(craftZip(entriesOf(editDescriptor(files, (d) => (d.format = 2))))),
    ).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_descriptor',
    });
  });

  it('refuses a module other than the one plugin.toml names, and an invalid module', async () => {
    const { files } = await miniArchive();
    const renamed = new Map(
      [...files].map(([name, data]) => [name === 'mini.wasm' ? 'other.wasm' : name, data]),
    );
    await expect(read(craftZip(entriesOf(renamed)))).rejects.toMatchObject({
      code: 'refused',
      reason: 'unexpected_file',
    });
    const bad = Buffer.from('not wasm');
    const invalid = editDescriptor(withFile(files, 'mini.wasm', bad), (d) => {
      d.files = (d.files as { path: string }[]).map((f) =>
        f.path === 'mini.wasm' ? { path: f.path, size: bad.length, sha256: sha256Hex(bad) } : f,
      );
    });
    await expect(read(craftZip(entriesOf(invalid)))).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_wasm',
    });
  });

  it('refuses a plugin that needs a newer app', async () => {
    const toml = MINI_TOML.replace('wasm_module', 'min_app_version = "9.0.0"\nwasm_module');
    const { files } = await miniArchive();
    const edited = editDescriptor(withFile(files, 'plugin.toml', Buffer.from(toml)), (d) => {
      d.files = (d.files as { path: string }[]).map((f) =>
        f.path === 'plugin.toml'
          ? { path: f.path, size: Buffer.byteLength(toml), sha256: sha256Hex(Buffer.from(toml)) }
          : f,
      );
    });
    await expect(read(craftZip(entriesOf(edited)))).rejects.toMatchObject({
      code: 'refused',
      reason: 'bad_manifest',
      message: expect.stringContaining('min_app_version'),
    });
  });
});
