/**
 * Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for browser tests.
 * Offline-safe flags: this machine has no internet, and without them Chromium's own background
 * requests are refused and noisy. A fresh temp profile per launch, removed on close.
 *
 * Without /usr/bin/chromium the tests are skipped with a message, except under CI (`CI` set),
 * where they run and fail saying what is missing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { isCi } from './prometheus.ts';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A reason to skip (for `describe`'s `skip`), or false when Chromium is there or CI is set. */
export function skipUnlessChromium(): string | false {
  if (existsSync(CHROMIUM) || isCi()) return false;
  return `${CHROMIUM} not found: install the Debian package "chromium" to run the browser tests (with CI set they fail instead of being skipped)`;
}

export interface RunningChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with a new temp `--user-data-dir` (playwright passes it from `launchPersistentContext`). */
export async function launchChromium(): Promise<RunningChromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: the browser tests need Debian's "chromium" package${isCi() ? '; CI is set, so this fails instead of skipping' : ''}.`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'otel-prom-bridge-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
