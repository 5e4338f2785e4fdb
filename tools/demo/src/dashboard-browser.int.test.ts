import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePorts, waitUntil } from '@login-stream/kafka-testing';
import type { ServiceChild } from '@login-stream/kafka-testing';
import type { WindowInsights } from '@login-stream/schema';
import type { Browser, Page } from 'playwright-core';
import { ensureChromium, launchChromium } from './testing/chromium';
import { buildServices, PipelineFixture } from './testing/pipeline-harness';
import type { PipelineUnderTest } from './testing/pipeline-harness';
import { timedLogins } from './testing/timed-logins';

// The dashboard in real headless Chromium during a real pipeline run: what the page shows for a
// window is held to that window's record on login-insights.

const SEED = 271_828;
const START = Date.parse('2024-05-01T12:00:30Z');
const SHOTS = path.resolve(__dirname, '../../../services/dashboard/screenshots');
const minuteKey = (minute: number) => `1m:2024-05-01T12:${String(minute).padStart(2, '0')}:00.000Z`;
const BAD = 60;

describe('the dashboard in a browser', () => {
  const fixture = new PipelineFixture();
  const { testKafka } = fixture;
  let p: PipelineUnderTest;
  let browser: Browser;
  let port: number;

  const startDashboard = async (): Promise<ServiceChild> => {
    const child = p.start('dashboard', [], { DASHBOARD_PORT: String(port), DASHBOARD_HOST: '127.0.0.1', DASHBOARD_TICK_MS: '500', DASHBOARD_CHECK_INTERVAL_MS: '2000' });
    await child.waitForLog((l) => l.msg === 'dashboard started', 'the dashboard to start');
    return child;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const cellText = (page: Page, key: string, field: string) => page.locator(`#windows tr[data-key="${key}"] td[data-field="${field}"]`).textContent();
  const produce = async (minutes: number, from: number, seed: number, extra: { bad?: number; lateShare?: number } = {}) => {
    const logins = timedLogins({ seed, count: 900 * minutes, users: 150, startMs: START + from * 60_000, spanMs: minutes * 60_000, jitterMs: 1_000, lateShare: extra.lateShare ?? 0, lateMs: [70_000, 150_000] });
    const bad = Array.from({ length: extra.bad ?? 0 }, (_, i) => Buffer.from(i % 3 === 0 ? '{"user_id": "cut' : JSON.stringify({ user_id: `bad-${i}`, timestamp: 'soon' })));
    // Idempotent: a send retried after "not the leader" must not write twice.
    await p.produce(await testKafka.producer({ idempotent: true, maxInFlightRequests: 1 }), [...logins, ...bad]);
  };
  const number = (n: number) => n.toLocaleString('en-US');

  beforeAll(async () => {
    ensureChromium();
    buildServices();
    mkdirSync(SHOTS, { recursive: true });
    [port] = await freePorts(1);
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await fixture.close();
  });

  it(`when windows close, then the page shows each one's numbers as on login-insights, a new one appears without a reload, and a dashboard restart shows the disconnected state and then recovers (seed ${SEED})`, async () => {
    process.stdout.write(`browser test: seed ${SEED}, screenshots in ${SHOTS}\n`);
    p = await fixture.pipeline('dash');
    await Promise.all([p.startProcessor(), p.startInsights()]);
    let dashboard = await startDashboard();
    await produce(3, 0, SEED, { bad: BAD });
    const results = await p.waitForResults([minuteKey(0), minuteKey(1), minuteKey(2)]);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    // Page-side expressions as strings: this file is compiled for Node, without the DOM's types.
    await page.evaluate("window.name = 'first load'");
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 30_000 });
    await page.locator(`#windows tr[data-key="${minuteKey(2)}"]`).waitFor({ timeout: 60_000 });
    for (const minute of [0, 1, 2]) {
      const [record] = results.get(minuteKey(minute)) as WindowInsights[];
      expect([minute, await cellText(page, minuteKey(minute), 'logins'), await cellText(page, minuteKey(minute), 'unique-users')]).toEqual([minute, record.logins.toLocaleString('en-US'), record.unique_users.toLocaleString('en-US')]);
    }
    const [latest] = results.get(minuteKey(2)) as WindowInsights[];
    expect(await page.locator('#latest').getAttribute('data-key')).toBe(minuteKey(2));
    expect(await page.locator('#latest dd[data-field="logins"]').textContent()).toBe(latest.logins.toLocaleString('en-US'));
    expect(await page.locator('#latest dd[data-field="most-locale"]').textContent()).toBe(`${latest.locales.most?.locales.join(', ')} (${latest.locales.most?.logins.toLocaleString('en-US')})`);
    // Every chart drew (a canvas each), and the check of this very run came out OK.
    await waitUntil(async () => (await page.locator('.chart canvas').count()) === 6, { timeoutMs: 10_000, description: 'six charts drawn' });
    await page.locator('#reconciliation[data-verdict="OK"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#flows tr[data-topic="processed"] td[data-field="records"]').textContent()).toBe(number(900 * 3));
    await waitUntil(async () => (await page.locator('#flows tr[data-topic="deadLetter"] td[data-field="records"]').textContent()) === number(BAD), { timeoutMs: 10_000, description: `${BAD} dead letters on the page` });
    const rejected = await page.locator('#rejections tr[data-reason] td[data-field="count"]').allTextContents();
    expect(rejected.reduce((n, t) => n + Number(t.replace(/,/g, '')), 0)).toBe(BAD);

    // Two more minutes of logins, some of them late for the first minutes: the next windows
    // arrive over the open stream, and each window's late count is what the late topic says.
    await produce(2, 3, SEED + 1, { lateShare: 0.05 });
    await page.locator(`#windows tr[data-key="${minuteKey(4)}"]`).waitFor({ timeout: 90_000 });
    const [fourth] = (await p.waitForResults([minuteKey(3)])).get(minuteKey(3)) as WindowInsights[];
    expect(await cellText(page, minuteKey(3), 'logins')).toBe(number(fourth.logins));
    const lateByWindow = new Map<string, number>();
    for (const m of await p.read(p.topics.loginInsightsLate)) {
      for (const key of String(m.headers?.['late.windows']).split(',')) lateByWindow.set(key, (lateByWindow.get(key) ?? 0) + 1);
    }
    expect([...lateByWindow.keys()].filter((k) => k.startsWith('1m:')).length).toBeGreaterThan(0);
    await waitUntil(
      async () => {
        for (const minute of [0, 1, 2, 3]) if ((await cellText(page, minuteKey(minute), 'late')) !== number(lateByWindow.get(minuteKey(minute)) ?? 0)) return false;
        return true;
      },
      { timeoutMs: 10_000, description: 'each window’s late count on the page to equal the late topic’s' },
    );
    await page.locator('#reconciliation[data-verdict="OK"]').waitFor({ timeout: 60_000 });
    await shot(page, 'dashboard-1280x800');
    expect(await page.evaluate<string>('window.name')).toBe('first load');

    // The server goes away: the page says so; back on the same port, it reconnects by itself.
    expect(await dashboard.kill('SIGTERM')).toBe(0);
    await page.locator('#banner').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('disconnected');
    await shot(page, 'dashboard-disconnected');
    dashboard = await startDashboard();
    await page.locator('#banner').waitFor({ state: 'hidden', timeout: 30_000 });
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 5_000 });
    await page.locator(`#windows tr[data-key="${minuteKey(3)}"]`).waitFor({ timeout: 30_000 });
    expect(await page.evaluate<string>('window.name')).toBe('first load');
    await shot(page, 'dashboard-recovered');

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`http://127.0.0.1:${port}/`);
    await phone.locator(`#windows tr[data-key="${minuteKey(3)}"]`).waitFor({ timeout: 30_000 });
    // Nothing wider than the screen but the windows table, which scrolls inside its card.
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(phone, 'dashboard-phone');
  }, 480_000);
});
