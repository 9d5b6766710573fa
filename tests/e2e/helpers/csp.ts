/**
 * Content Security Policy violations on a page, collected two ways: Chromium's console messages
 * ("Refused to load/apply/connect/execute …", and the warning for a directive a <meta> policy cannot
 * carry) and the page's own `securitypolicyviolation` events, reported by an init script (injected
 * by Playwright, which no page CSP governs). A test asserts the list is empty at the end.
 */
import type { Page } from 'playwright-core';

const CSP_MESSAGE = /Refused to|Content[- ]Security[- ]Policy/i;
const MARK = 'rehearse-e2e csp violation:';

export function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith(MARK) || CSP_MESSAGE.test(text)) violations.push(text);
  });
  void page.addInitScript((mark) => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`${mark} ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  }, MARK);
  return violations;
}
