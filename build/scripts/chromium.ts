import { chromium, type Browser } from 'playwright-core';

// Debian's Chromium through playwright-core, as the e2e tests and the icon
// renderer launch it: headless, and with nothing that reaches the network
// (no updates, sync or background fetches) or needs a GPU or a sandbox.

export function launchDebianChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
