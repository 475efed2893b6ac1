/** DOM helpers shared by the adapters: visibility (stale SPA views stay in the DOM) and safe text. */

/**
 * An element is visible when no ancestor hides it and it has a box. Whether it has a box is asked with
 * checkVisibility, which needs the page's styles only: at document_idle the CRM page is often not laid
 * out yet, and getClientRects would lay out the whole page inside our script (12 ms in a trace).
 */
export function isVisible(el: Element | null | undefined): boolean {
  if (!el || !el.isConnected) return false;
  const win = el.ownerDocument.defaultView;
  for (let node: Element | null = el; node; node = node.parentElement) {
    if (node.hasAttribute('hidden') || node.getAttribute('aria-hidden') === 'true') return false;
    const style = (node as HTMLElement).style;
    if (style?.display === 'none' || style?.visibility === 'hidden') return false;
    const computed = win?.getComputedStyle?.(node);
    if (computed && (computed.display === 'none' || computed.visibility === 'hidden')) return false;
  }
  return typeof el.checkVisibility === 'function' ? el.checkVisibility() : true;
}

/** The first visible element matching any of the selectors, in order of the selectors. */
export function firstVisible(root: ParentNode, selectors: readonly string[]): Element | null {
  for (const selector of selectors) {
    for (const el of root.querySelectorAll(selector)) if (isVisible(el)) return el;
  }
  return null;
}

const MAX = 500;
/** Text of a node: textContent only (never HTML), whitespace collapsed, capped. */
export function cleanText(value: string | null | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX);
}

export function textOf(el: Element | null | undefined): string {
  return cleanText(el?.textContent);
}

/** The first non-empty text among selectors within a root. */
export function textIn(root: ParentNode | null, selectors: readonly string[]): string {
  if (!root) return '';
  for (const selector of selectors) {
    for (const el of root.querySelectorAll(selector)) {
      const text = textOf(el);
      if (text) return text;
    }
  }
  return '';
}

/** Deduplicate contacts by key, keeping page order and the first non-empty name. */
export function dedupeContacts<T extends { key: string; name: string }>(items: T[]): T[] {
  const out = new Map<string, T>();
  for (const item of items) {
    const seen = out.get(item.key);
    if (!seen) out.set(item.key, item);
    else if (!seen.name && item.name) out.set(item.key, { ...seen, name: item.name });
  }
  return [...out.values()];
}
