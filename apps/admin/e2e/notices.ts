/**
 * Closing the console's notices before a screenshot or a click they might cover: a success closes
 * by itself after 6 s, an error only when closed (apps/admin/src/lib/notify.ts), so waiting for them
 * to go would wait for ever on an error.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export async function closeNotices(page: Page): Promise<void> {
  const notices = page.locator('.mantine-Notification-root');
  for (const close of await notices.locator('.mantine-Notification-closeButton').all())
    await close.click().catch(() => undefined); // closed meanwhile
  await expect.poll(() => notices.count(), { timeout: 20_000 }).toBe(0);
}
