/**
 * The browser tests' harness: Debian's Chromium (`/usr/bin/chromium`, installed by `.ci/run` with
 * apt-get when missing — never a downloaded browser) driven by playwright-core; one browser per
 * test file, one context (a fresh profile: its own storage, language) per page.
 * Screenshots go to ./screenshots and measurements to ./reports (both git-ignored).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(__dirname, 'screenshots');
export const REPORTS = path.join(__dirname, 'reports');

/**
 * The flags this machine needs (its network is closed, so no background or component traffic).
 * Playwright's launch() adds its own fresh, empty --user-data-dir for every browser it starts.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`);
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 60_000 });
}

export interface EditorPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and failed console messages of the page, to assert none happened. */
  errors: string[];
}

/** A new profile in `locale` (navigator.language and Accept-Language follow it) with the editor open. */
export async function openEditor(browser: Browser, baseUrl: string, query: Record<string, string>, locale = 'en-US'): Promise<EditorPage> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 760 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(`${baseUrl}/?${new URLSearchParams(query).toString()}`);
  await page.waitForSelector('body[data-ready="true"]');
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export function writeReport(name: string, report: unknown): string {
  mkdirSync(REPORTS, { recursive: true });
  const file = path.join(REPORTS, name);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
