/**
 * The status page in a real browser: a real MeterProvider pushes through the official OTLP/proto
 * exporter into a sidecar on free loopback ports, and headless Chromium opens `/`. The page loads
 * without console errors or failed requests, shows the pushing job with its series held, and a
 * hostile service.name appears as text, never as markup (no image element, no dialog).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { Page } from 'playwright-core';
import { launchChromium, skipUnlessChromium, type RunningChromium } from '../helpers/chromium.ts';
import { scrape, startSidecar, TIMEOUT_MS, valueOf, type RunningSidecar } from './sidecarHarness.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** Pushes from a service once (its provider's shutdown exports): a counter with two attribute sets and a histogram, 3 series and points. */
async function pushOnce(otlpHttpUrl: string, serviceName: string): Promise<void> {
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: otlpHttpUrl, timeoutMillis: TIMEOUT_MS }),
    // Exports only on shutdown: the interval is far beyond the test.
    exportIntervalMillis: 3_600_000,
    exportTimeoutMillis: TIMEOUT_MS,
  });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': serviceName }), readers: [reader] });
  const meter = provider.getMeter('status-page-test');
  const orders = meter.createCounter('orders');
  orders.add(2, { region: 'eu' });
  orders.add(1, { region: 'us' });
  meter.createHistogram('checkout.duration', { unit: 's' }).record(0.25);
  await provider.shutdown();
}

/** What went wrong while a page was open: console errors, uncaught errors, failed or refused requests, dialogs. */
function watchProblems(page: Page): { problems: string[]; dialogs: string[] } {
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { problems, dialogs };
}

describe('the status page in headless Chromium', { skip: skipUnlessChromium(), timeout: 120_000 }, () => {
  let running: RunningSidecar;
  let browser: RunningChromium;
  before(async () => {
    running = await startSidecar();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await running?.sidecar.stop();
  });

  it('loads cleanly and shows the job checkout with its series held', async () => {
    await pushOnce(running.addresses.otlpHttp.url, 'checkout');
    // What the store holds, seen from the scrape side: 2 counter series and 1 histogram.
    const families = await scrape(running.addresses);
    assert.equal(valueOf(families, 'orders_total', { job: 'checkout', region: 'eu' }), 2);
    assert.equal(valueOf(families, 'checkout_duration_seconds_count', { job: 'checkout' }), 1);

    const page = await browser.context.newPage();
    const { problems, dialogs } = watchProblems(page);
    const response = await page.goto(new URL('/', running.addresses.metrics.url).href, { timeout: TIMEOUT_MS });
    assert.equal(response?.status(), 200);
    assert.equal(await page.title(), 'otel-prom-bridge status');
    assert.equal(await page.locator('#state').textContent(), 'ready');

    const row = page.locator('#resources tbody tr').filter({ has: page.getByRole('cell', { name: 'checkout', exact: true }) });
    assert.equal(await row.count(), 1);
    const cells = await row.locator('td').allTextContents();
    assert.deepEqual(cells.slice(0, 3), ['checkout', '—', '3']);
    assert.match(cells[3]!, /^\d+ s ago$/);
    assert.deepEqual(cells.slice(4, 7), ['1', '3', '0'], 'one push, three points accepted (a histogram point is one), none refused');

    for (const [name, href] of [['/metrics', '/metrics'], ['/-/healthy', '/-/healthy'], ['/-/ready', '/-/ready']] as const) {
      assert.equal(await page.getByRole('link', { name, exact: true }).getAttribute('href'), href);
    }
    // Let the page settle (the icon and anything else it asks for) before judging it.
    await page.waitForLoadState('networkidle', { timeout: TIMEOUT_MS });
    assert.deepEqual(problems, []);
    assert.deepEqual(dialogs, []);

    await page.getByRole('link', { name: '/metrics', exact: true }).click();
    await page.waitForURL('**/metrics', { timeout: TIMEOUT_MS });
    assert.match((await page.content()), /orders_total\{[^}]*job="checkout"/);
    await page.close();
  });

  it(`shows the service.name ${HOSTILE} as text, not markup`, async () => {
    await pushOnce(running.addresses.otlpHttp.url, HOSTILE);
    const page = await browser.context.newPage();
    const { problems, dialogs } = watchProblems(page);
    assert.equal((await page.goto(new URL('/', running.addresses.metrics.url).href, { timeout: TIMEOUT_MS }))?.status(), 200);
    await page.waitForLoadState('networkidle', { timeout: TIMEOUT_MS });

    const jobs = await page.locator('#resources tbody tr td:first-child').allTextContents();
    assert.deepEqual(jobs.sort(), [HOSTILE, 'checkout'].sort());
    assert.equal(await page.locator('img').count(), 0, 'no image element was created');
    assert.deepEqual(dialogs, [], 'no script ran');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
