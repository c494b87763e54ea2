import type { Page } from 'playwright-core';

// Checks that run inside the page. They are written as source text because
// test code is type-checked against Node's library, which has no DOM.

export interface OverflowReport {
  scrollWidth: number;
  clientWidth: number;
  /** Elements wider than the window, named by tag and class, for the failure message. */
  offenders: string[];
}

/** Is anything wider than the window (page or open dialog), which would need sideways scrolling? */
export function horizontalOverflow(page: Page): Promise<OverflowReport> {
  return page.evaluate<OverflowReport>(`(() => {
    const root = document.documentElement;
    const limit = root.clientWidth;
    const offenders = [];
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && (box.right > limit + 0.5 || box.left < -0.5)) {
        offenders.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''));
      }
      if (el.getAttribute('role') === 'dialog' || el.getAttribute('role') === 'alertdialog') {
        if (el.scrollWidth > el.clientWidth) offenders.push('dialog content scrolls sideways');
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, offenders: offenders.slice(0, 10) };
  })()`);
}

export interface FocusReport {
  tag: string;
  text: string;
  focusVisible: boolean;
  outlineStyle: string;
  outlineWidth: number;
  inDialog: boolean;
}

/** What has the focus, and does it show a focus ring? */
export function focusReport(page: Page): Promise<FocusReport> {
  return page.evaluate<FocusReport>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) {
      return { tag: 'body', text: '', focusVisible: false, outlineStyle: 'none', outlineWidth: 0, inDialog: false };
    }
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 80),
      focusVisible: el.matches(':focus-visible'),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth) || 0,
      inDialog: Boolean(el.closest('[role="dialog"], [role="alertdialog"]')),
    };
  })()`);
}

/**
 * Everything of the page a secret could hide in: the serialized DOM plus the
 * live values of inputs (React sets those as properties, not attributes).
 */
export async function pageText(page: Page): Promise<string> {
  const values = await page.evaluate<string[]>(
    `Array.from(document.querySelectorAll('input, textarea, select'), (el) => el.value)`,
  );
  return `${await page.content()}\n${values.join('\n')}`;
}
