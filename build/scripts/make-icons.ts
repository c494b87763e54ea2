// `npx tsx build/scripts/make-icons.ts`: renders build/icon.svg (the favicon
// scaled up) to build/icon.png, 1024x1024 with a transparent background, in
// Debian's Chromium. electron-builder derives the macOS .icns, the Windows .ico
// and the Linux icon sizes from that one PNG. Both files are committed; run this
// again only when icon.svg changes.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchDebianChromium } from './chromium';

const SIZE = 1024;
const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const svg = await readFile(join(buildDir, 'icon.svg'), 'utf8');
const browser = await launchDebianChromium();
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`,
  );
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  await writeFile(join(buildDir, 'icon.png'), png);
  console.log(`build/icon.png: ${SIZE}x${SIZE}, ${png.length} bytes`);
} finally {
  await browser.close();
}
