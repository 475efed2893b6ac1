/**
 * Small role chips next to the contact links the CRM page lists. They live in the CRM's own DOM, so
 * they are plain text spans with inline styles (no HTML from data, nothing the page's CSS can break).
 */
import type { PageContext } from '../../crm/types';
import { ROLE, type Role } from '../../domain/taxonomy';
import { translator } from '../i18n';
import type { PanelState } from './store';

const ATTR = 'data-committee-lens-chip';
const STYLE =
  'display:inline-block;margin-left:4px;padding:0 5px;border-radius:8px;font:600 10px/16px system-ui,sans-serif;' +
  'background:#e8f0fe;color:#174ea6;vertical-align:middle;white-space:nowrap;';

/** Roles per contact as the panel's current committee knows them. */
function rolesByContact(state: Pick<PanelState, 'committee'>): Map<string, Role[]> {
  const out = new Map<string, Role[]>();
  for (const m of state.committee?.members ?? []) {
    const roles = out.get(m.contactKey) ?? [];
    for (const r of m.roles) if (!roles.includes(r)) roles.push(r);
    out.set(m.contactKey, roles);
  }
  return out;
}

export class RoleChips {
  private chips = new Set<HTMLElement>();
  constructor(private doc: Document) {}

  owns(node: Node): boolean {
    for (const chip of this.chips) if (chip === node || chip.contains(node)) return true;
    return false;
  }

  clear(): void {
    for (const chip of this.chips) chip.remove();
    this.chips.clear();
  }

  render(page: PageContext | null, state: Pick<PanelState, 'committee' | 'lang'>): void {
    const roles = rolesByContact(state);
    const t = translator(state.lang);
    const wanted = new Map<Element, string>();
    for (const { key, element } of page?.anchors ?? []) {
      const list = roles.get(key);
      if (list?.length) wanted.set(element, list.map((r) => ROLE.labels[r][state.lang]).join(' · '));
    }
    for (const chip of [...this.chips]) {
      const anchor = chip.previousElementSibling;
      const text = anchor ? wanted.get(anchor) : undefined;
      if (!chip.isConnected || text === undefined) {
        chip.remove();
        this.chips.delete(chip);
      } else {
        if (chip.textContent !== text) chip.textContent = text;
        chip.setAttribute('aria-label', t('chipLabel', { roles: text }));
        wanted.delete(anchor!);
      }
    }
    for (const [anchor, text] of wanted) {
      const chip = this.doc.createElement('span');
      chip.setAttribute(ATTR, '');
      chip.setAttribute('style', STYLE);
      chip.setAttribute('aria-label', t('chipLabel', { roles: text }));
      chip.textContent = text;
      anchor.after(chip);
      this.chips.add(chip);
    }
  }
}
