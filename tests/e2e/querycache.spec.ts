import type { Request, Route } from '@playwright/test';
import { expect, invokeOk, prepareReception, test } from './harness.js';
import { intakeInput } from '../fixtures/intake.js';

/**
 * The renderer's query cache across a side switch: an answer for the victims' side that arrives
 * after the desk has switched to the perpetrators' side is dropped, never painted, not even for a frame.
 */
test("a slow answer for the victims' side never paints after the switch to the perpetrators' side", async ({ page, harness, problems }) => {
  void problems;
  await prepareReception(page, harness);
  await invokeOk(page, 'intake.register', intakeInput('victim', 'Vilda Påhittsdotter', { birthYear: 1984 }));
  await invokeOk(page, 'intake.register', intakeInput('perpetrator', 'Kalle Låtsasson', { birthYear: 1979 }));

  // Hold the victims' waiting list at the door until the test lets it through.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let heldRequest: Request | null = null;
  const held = new Promise<void>((resolve) => {
    void page.route('**/__harness/invoke', async (route: Route) => {
      const body = route.request().postDataJSON() as { channel: string; input: { side?: string } };
      if (body.channel === 'waitingList.list' && body.input.side === 'victims' && !heldRequest) {
        heldRequest = route.request();
        resolve();
        await released;
      }
      await route.continue();
    });
  });

  // A fresh page: nothing of either side in memory yet; the desk starts on the victims' side. (Through a
  // blank page: from the start page, where the setup leaves the desk, only the hash would change, and the
  // waiting list the start page has already read would still be in memory.)
  await page.goto('about:blank');
  await page.goto(`${new URL(harness.url).origin}/#/reception/waiting`);
  await expect(page.getByTestId('current-side')).toHaveText('Utsattsidan');
  await held;
  await expect(page.getByTestId('waiting-row')).toHaveCount(0);

  await page.keyboard.press('Alt+s');
  await expect(page.getByTestId('current-side')).toHaveText('Utövarsidan');
  await expect(page.getByTestId('waiting-row')).toHaveCount(1);
  await expect(page.getByTestId('waiting-row')).toContainText('K. L.');

  // From here on, any trace of her on screen is recorded, however briefly it stays.
  await page.evaluate(() => {
    // The test runs under Node's types: the page's own globals are reached through globalThis.
    interface Web {
      document: { body: { textContent: string | null } };
      MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
      victimSeen?: { victim: boolean };
    }
    const web = globalThis as unknown as Web;
    const seen = { victim: false };
    web.victimSeen = seen;
    new web.MutationObserver(() => {
      const text = web.document.body.textContent ?? '';
      if (text.includes('V. P.') || text.includes('Påhittsdotter') || text.includes('Vilda')) seen.victim = true;
    }).observe(web.document.body, { subtree: true, childList: true, characterData: true });
  });
  const answered = page.waitForResponse((response) => response.request() === heldRequest);
  release();
  const late = await answered;
  // The late answer did carry her: it is the app that drops it.
  expect(JSON.stringify(await late.json())).toContain('Vilda Påhittsdotter');
  // Two frames for the app to paint anything it (wrongly) kept.
  await page.evaluate(() => {
    const frame = (globalThis as unknown as { requestAnimationFrame: (callback: () => void) => void }).requestAnimationFrame;
    return new Promise<void>((resolve) => frame(() => frame(resolve)));
  });

  expect(await page.evaluate(() => (globalThis as unknown as { victimSeen: { victim: boolean } }).victimSeen.victim)).toBe(false);
  await expect(page.getByTestId('waiting-row')).toHaveCount(1);
  await expect(page.getByTestId('waiting-row')).toContainText('K. L.');
  await expect(page.getByTestId('current-side')).toHaveText('Utövarsidan');

  // Back on the victims' side her list is read afresh (nothing of it was kept), and shows her.
  await page.unroute('**/__harness/invoke');
  await page.keyboard.press('Alt+s');
  await expect(page.getByTestId('current-side')).toHaveText('Utsattsidan');
  await expect(page.getByTestId('waiting-row')).toHaveCount(1);
  await expect(page.getByTestId('waiting-row')).toContainText('V. P.');
});
