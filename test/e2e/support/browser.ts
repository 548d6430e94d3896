import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's headless Chromium (`apt-get install chromium`; `.ci/run` installs it), quiet and offline. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in to the staff's pages as a person does: opens `at`, pastes the token, and lands back on `at`. */
export async function signIn(page: Page, url: string, token: string, at: string): Promise<void> {
  await page.goto(`${url}${at}`);
  await page.fill('#token', token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${url}${at}`);
}
