import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondToAppRequest } from '../../../electron/main/protocol/app-request';
import { resolveRendererAsset } from '../../../electron/main/protocol/resolve-asset';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security/csp';

// The app:// protocol on a real folder laid out like out/renderer, with a
// secret file beside it that no request may reach.

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'custodian-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Custodian</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(root, 'assets', 'notes.txt'), 'not a web asset');
  await writeFile(join(base, 'secret.json'), '{"secret":"outside the renderer"}');
  await symlink(join(base, 'secret.json'), join(root, 'assets', 'link.json'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('resolveRendererAsset', () => {
  it("serves index.html for '/' and files inside the root with their type", () => {
    expect(resolveRendererAsset(root, '/')).toEqual({
      file: join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveRendererAsset(root, '')?.file).toBe(join(root, 'index.html'));
    expect(resolveRendererAsset(root, '/assets/index-abc.js')).toEqual({
      file: join(root, 'assets', 'index-abc.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(resolveRendererAsset(root, '/assets/index%2Dabc.css')?.file).toBe(
      join(root, 'assets', 'index-abc.css'),
    );
  });

  it('refuses traversal, raw or percent-encoded', () => {
    for (const path of [
      '/../secret.json',
      '/assets/../../secret.json',
      '/assets/../index.html',
      '/%2e%2e/secret.json',
      '/%2E%2E/secret.json',
      '/assets/%2e%2e/%2e%2e/secret.json',
      '/./index.html',
      '/%2e/index.html',
    ]) {
      expect(resolveRendererAsset(root, path), path).toBeNull();
    }
  });

  it('refuses encoded slashes and backslashes, raw backslashes and NUL', () => {
    for (const path of [
      '/assets%2Findex-abc.js',
      '/assets%2findex-abc.js',
      '/..%2Fsecret.json',
      '/..%5Csecret.json',
      '/assets%5Cindex-abc.js',
      '/assets\\index-abc.js',
      '/index.html%00.js',
      '/index.html\0',
      '/%E0%A4%A', // malformed escape
    ]) {
      expect(resolveRendererAsset(root, path), path).toBeNull();
    }
  });

  it('refuses absolute paths and drive letters', () => {
    for (const path of [
      '//etc/passwd.json',
      `/${base}/secret.json`, // "//tmp/…": an absolute path after the leading slash
      '/C:/Windows/win.ini',
      'C:\\Windows\\win.ini',
      'etc/passwd.json',
    ]) {
      expect(resolveRendererAsset(root, path), path).toBeNull();
    }
  });

  it('refuses unknown extensions and hidden files', () => {
    expect(resolveRendererAsset(root, '/assets/notes.txt')).toBeNull();
    expect(resolveRendererAsset(root, '/assets/index-abc')).toBeNull();
    expect(resolveRendererAsset(root, '/.env')).toBeNull();
    expect(resolveRendererAsset(root, '/.vite/manifest.json')).toBeNull();
  });

  it('never returns a file outside the root', () => {
    const samples = ['/', '/a.js', '/assets/x.css', '/%2e%2e', '/..', '/a/../../b.js', '/ü.js'];
    for (const path of samples) {
      const file = resolveRendererAsset(root, path)?.file;
      if (file) expect(file.startsWith(root + sep)).toBe(true);
    }
  });
});

describe('respondToAppRequest', () => {
  const get = (url: string, method = 'GET') => respondToAppRequest({ url, method }, root);
  const text = (body: Uint8Array | null) => (body ? Buffer.from(body).toString('utf8') : null);

  it('serves index.html with the CSP and nosniff headers', async () => {
    const response = await get('app://custodian/');
    expect(response.status).toBe(200);
    expect(text(response.body)).toContain('<title>Custodian</title>');
    expect(response.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(response.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('serves a script with its JavaScript type', async () => {
    const response = await get('app://custodian/assets/index-abc.js');
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(text(response.body)).toBe('console.log(1)');
  });

  it('answers 404, still with the security headers, for anything else', async () => {
    for (const url of [
      'app://custodian/missing.js',
      'app://custodian/assets/notes.txt',
      'app://custodian/..%2Fsecret.json',
      'app://custodian/assets/link.json', // a symbolic link out of the root
      'app://other/index.html',
      'app://custodian:8080/index.html',
      'https://custodian/index.html',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(text(response.body)).not.toContain('outside the renderer');
      expect(response.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://custodian/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect((await get('app://custodian/index.html', 'POST')).status).toBe(405);
  });
});
