/** HubSpot: contact, company and deal records, legacy URLs, list-page previews, hublet hosts. */
import { recordKey, type ObjectType } from '../../domain/ids';
import { cleanText, dedupeContacts, firstVisible, isVisible, textIn, textOf } from '../dom';
import type { CrmAdapter, PageContact, PageContext } from '../types';
import { DOM, HOST, OBJECT_BY_LEGACY, OBJECT_BY_TYPE, PATHS, TITLE_SUFFIX } from './selectors';

type HsObject = 'contact' | 'company' | 'deal';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function recordFromPath(path: string): { org: string; object: ObjectType | null; id: string } | null {
  const m = PATHS.record.exec(path);
  if (m) return { org: m[1]!, object: OBJECT_BY_TYPE[m[2]!] ?? null, id: m[3]! };
  const l = PATHS.legacy.exec(path);
  if (l) return { org: l[1]!, object: OBJECT_BY_LEGACY[l[2]!] ?? null, id: l[3]! };
  return null;
}

function recordFromUrl(url: string) {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || !HOST.test(u.hostname)) return null;
  return recordFromPath(u.pathname);
}

function linkRecord(a: Element, origin: string) {
  const href = a.getAttribute('href');
  if (!href) return null;
  const u = parse(new URL(href, origin).href);
  return u ? recordFromPath(u.pathname) : null;
}

function linkedPeople(root: ParentNode, portal: string, self: string, origin: string) {
  const contacts: PageContact[] = [];
  const anchors: { key: string; element: Element }[] = [];
  for (const a of root.querySelectorAll(DOM.contactLink)) {
    if (!isVisible(a)) continue;
    const rec = a.tagName === 'A' ? linkRecord(a, origin) : null;
    if (!rec || rec.object !== 'contact' || rec.org !== portal) continue;
    const key = recordKey({ crm: 'hubspot', org: portal, object: 'contact', id: rec.id });
    if (key === self) continue;
    const card = a.closest('[data-test-id^="chiclet-0-1-"], li, [data-selenium-test="contact-chicklet"]');
    const email = textOf(card?.querySelector('a[data-test-id="contact-chicklet-email"]'));
    contacts.push({ key, name: textOf(a), ...(email ? { email } : {}) });
    anchors.push({ key, element: a });
  }
  return { contacts: dedupeContacts(contacts), anchors };
}

/** The record shown: the URL's, or on a list page the one open in the preview side panel. */
function located(url: string, doc: Document): { org: string; object: HsObject; id: string; root: ParentNode } | null {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || !HOST.test(u.hostname)) return null;
  const rec = recordFromPath(u.pathname);
  if (rec) return rec.object ? { org: rec.org, object: rec.object as HsObject, id: rec.id, root: doc } : null;
  const list = PATHS.list.exec(u.pathname);
  if (!list) return null;
  const preview = firstVisible(doc, DOM.preview);
  if (!preview) return null;
  for (const a of preview.querySelectorAll(DOM.previewRecordLink)) {
    const r = linkRecord(a, u.origin);
    if (r?.object && r.org === list[1]) return { org: r.org, object: r.object as HsObject, id: r.id, root: preview };
  }
  return null;
}

function readContext(url: string, doc: Document): PageContext | null {
  const loc = located(url, doc);
  if (!loc) return null;
  const { org, object, id, root } = loc;
  let key: string;
  try {
    key = recordKey({ crm: 'hubspot', org, object, id });
  } catch {
    return null;
  }
  const origin = new URL(url).origin;
  const highlight = firstVisible(root, DOM.highlight);
  const fromTitle = root === doc ? cleanText(doc.title.replace(TITLE_SUFFIX, '')) : '';
  const name = textIn(highlight, DOM.name) || fromTitle;
  const person = object === 'contact';
  const title = person ? textIn(highlight, DOM.subtitle) : '';
  const email = person ? textOf(firstVisible(highlight ?? root, DOM.email)) : '';
  const ctx: PageContext = { crm: 'hubspot', org, object, key, name, ...(title ? { title } : {}), ...(email ? { email } : {}), contacts: [], anchors: [] };
  if (object !== 'company') {
    const card = firstVisible(root, DOM.associationCard('0-2')) ?? root;
    for (const a of card.querySelectorAll(DOM.companyLink)) {
      if (!isVisible(a)) continue;
      const rec = linkRecord(a, origin);
      if (rec?.object === 'company' && rec.org === org) {
        ctx.accountKey = recordKey({ crm: 'hubspot', org, object: 'company', id: rec.id });
        const accountName = textOf(a);
        if (accountName) ctx.accountName = accountName;
        break;
      }
    }
  }
  const cards = DOM.associationCard('0-1').flatMap((s) => [...root.querySelectorAll(s)]).filter((c) => isVisible(c));
  const people = cards.length
    ? cards.map((c) => linkedPeople(c, org, key, origin)).reduce((a, b) => ({ contacts: dedupeContacts([...a.contacts, ...b.contacts]), anchors: [...a.anchors, ...b.anchors] }))
    : linkedPeople(root, org, key, origin);
  return { ...ctx, ...people };
}

export const hubspot: CrmAdapter = {
  crm: 'hubspot',
  matches(url) {
    const u = parse(url);
    return !!u && u.protocol === 'https:' && HOST.test(u.hostname);
  },
  recordFromUrl,
  readContext,
  mountPoint: (doc) => doc.body,
};
