/** Salesforce: Lightning (standard, console, legacy one.app) and Classic record pages. */
import { normalizeSalesforceId, recordKey, type ObjectType } from '../../domain/ids';
import { cleanText, dedupeContacts, firstVisible, isVisible, textIn, textOf } from '../dom';
import type { CrmAdapter, PageContact, PageContext } from '../types';
import { CLASSIC, FIELD_OBJECT, HOST, LEGACY_HOST, LIGHTNING, NOT_APP_HOSTS, OBJECT_BY_NAME, OBJECT_BY_PREFIX, PATHS, TITLE_SUFFIX } from './selectors';

type SfObject = 'contact' | 'lead' | 'account' | 'opportunity';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function orgOf(host: string): string | null {
  const h = host.toLowerCase();
  if (NOT_APP_HOSTS.includes(h)) return null;
  return HOST.exec(h)?.[1] ?? LEGACY_HOST.exec(h)?.[1] ?? null;
}

/** The record a Lightning/Classic path names: [object name or null, raw id]. */
function idFromPath(u: URL): [string | null, string] | null {
  const lightning = PATHS.record.exec(u.pathname);
  if (lightning) return [lightning[1] ?? null, lightning[2]!];
  if (u.pathname === '/one/one.app') {
    const legacy = PATHS.legacyApp.exec(u.hash);
    if (legacy) return [null, legacy[1]!];
  }
  if (!u.pathname.startsWith('/lightning/')) {
    const classic = PATHS.classic.exec(u.pathname);
    if (classic) return [null, classic[1]!];
  }
  return null;
}

function recordFromUrl(url: string): { org: string; object: ObjectType | null; id: string } | null {
  const u = parse(url);
  if (!u || u.protocol !== 'https:') return null;
  const org = orgOf(u.hostname);
  if (!org) return null;
  let found = idFromPath(u);
  // Console: the path is the focused record; a `ws` parameter names the workspace when the path does not.
  const ws = u.searchParams.get('ws');
  if (!found && ws) found = idFromPath(new URL(ws, u.origin));
  if (!found) return null;
  const [name, raw] = found;
  const id = normalizeSalesforceId(raw);
  if (!id) return null;
  const byPrefix = OBJECT_BY_PREFIX[id.slice(0, 3)] ?? null;
  const object = name ? (OBJECT_BY_NAME[name] ?? null) : byPrefix;
  // An object name that disagrees with the id's key prefix is not a record we understand.
  if (name && object && byPrefix && object !== byPrefix) return null;
  return { org, object, id };
}

function idFromHref(href: string | null, origin: string): string | null {
  if (!href) return null;
  const u = parse(new URL(href, origin).href);
  if (!u) return null;
  const found = idFromPath(u);
  return found ? normalizeSalesforceId(found[1]) : null;
}

function linkedId(a: Element, origin: string): string | null {
  const data = a.getAttribute('data-recordid');
  return (data && normalizeSalesforceId(data)) || idFromHref(a.getAttribute('href'), origin);
}

function fieldText(root: ParentNode, object: string, field: string, label: string): string {
  const direct = textIn(root, [...LIGHTNING.field(object, field).map((s) => `${s} lightning-formatted-text, ${s} a, ${s} .slds-form-element__static`), ...LIGHTNING.field(object, field)]);
  if (direct) return stripLabel(direct, label);
  // Highlights panel items: a label paragraph followed by the value.
  for (const item of root.querySelectorAll(LIGHTNING.highlightItem.join(','))) {
    const labelEl = item.querySelector(LIGHTNING.highlightLabel);
    if (labelEl?.getAttribute('title') === label || textOf(labelEl) === label) {
      const value = cleanText([...item.childNodes].filter((n) => n !== labelEl).map((n) => n.textContent).join(' '));
      if (value) return value;
    }
  }
  for (const el of root.querySelectorAll(LIGHTNING.labelled(label).join(','))) {
    const value = stripLabel(textOf(el), label);
    if (value) return value;
  }
  return '';
}

function stripLabel(text: string, label: string): string {
  return text.startsWith(label + ' ') ? text.slice(label.length + 1).trim() : text;
}

function personLinks(root: ParentNode, selector: string, ctx: { org: string; self: string; origin: string }) {
  const contacts: PageContact[] = [];
  const anchors: { key: string; element: Element }[] = [];
  for (const a of root.querySelectorAll(selector)) {
    if (!isVisible(a)) continue;
    const id = linkedId(a, ctx.origin);
    const object = id ? OBJECT_BY_PREFIX[id.slice(0, 3)] : undefined;
    if (!id || (object !== 'contact' && object !== 'lead')) continue;
    const key = recordKey({ crm: 'salesforce', org: ctx.org, object, id });
    if (key === ctx.self) continue;
    contacts.push({ key, name: textOf(a) || cleanText(a.getAttribute('title')) });
    anchors.push({ key, element: a });
  }
  return { contacts: dedupeContacts(contacts), anchors };
}

function nameFromTitle(doc: Document): string {
  const parts = doc.title.replace(TITLE_SUFFIX, '').split(' | ');
  return parts.length >= 2 ? cleanText(parts[0]) : '';
}

function readContext(url: string, doc: Document): PageContext | null {
  const rec = recordFromUrl(url);
  if (!rec || !rec.object) return null;
  const object = rec.object as SfObject;
  const { org, id } = rec;
  const key = recordKey({ crm: 'salesforce', org, object, id });
  const origin = new URL(url).origin;
  const classic = !!doc.querySelector(CLASSIC.marker) && !doc.querySelector(LIGHTNING.marker.join(','));
  const base: PageContext = { crm: 'salesforce', org, object, key, name: '', contacts: [], anchors: [] };

  if (classic) {
    const name = textIn(doc, CLASSIC.name) || nameFromTitle(doc);
    const title = object === 'contact' ? textIn(doc, CLASSIC.title) : '';
    const email = object === 'contact' || object === 'lead' ? textIn(doc, CLASSIC.email) : '';
    const accountA = firstVisible(doc, CLASSIC.accountLink);
    const accountId = accountA ? idFromHref(accountA.getAttribute('href'), origin) : null;
    const people = personLinks(doc, CLASSIC.personLinks, { org, self: key, origin });
    return withAccount({ ...base, name, ...(title ? { title } : {}), ...(email ? { email } : {}), ...people }, org, accountId, textOf(accountA));
  }

  const view = firstVisible(doc, LIGHTNING.activeView) ?? doc;
  const header = firstVisible(view, LIGHTNING.header);
  const fieldObject = FIELD_OBJECT[object];
  const name = textIn(header, LIGHTNING.name) || nameFromTitle(doc);
  const person = object === 'contact' || object === 'lead';
  const title = person ? fieldText(view, fieldObject, 'Title', 'Title') : '';
  let email = person ? fieldText(view, fieldObject, 'Email', 'Email') : '';
  if (person && !email) email = textOf(firstVisible(header ?? view, [LIGHTNING.mailto]));
  let accountA: Element | null = null;
  if (object === 'contact' || object === 'opportunity')
    accountA =
      firstVisible(view, LIGHTNING.field(fieldObject, 'AccountId').map((s) => `${s} a`)) ??
      firstVisible(header ?? view, [LIGHTNING.lookup('001')]) ??
      firstVisible(view, [LIGHTNING.lookup('001')]);
  const accountId = accountA ? linkedId(accountA, origin) : null;
  const people = personLinks(view, LIGHTNING.personLinks, { org, self: key, origin });
  return withAccount({ ...base, name, ...(title ? { title } : {}), ...(email ? { email } : {}), ...people }, org, accountId, textOf(accountA));
}

function withAccount(ctx: PageContext, org: string, accountId: string | null, accountName: string): PageContext {
  if (!accountId || OBJECT_BY_PREFIX[accountId.slice(0, 3)] !== 'account' || ctx.object === 'account') return ctx;
  return { ...ctx, accountKey: recordKey({ crm: 'salesforce', org, object: 'account', id: accountId }), ...(accountName ? { accountName } : {}) };
}

export const salesforce: CrmAdapter = {
  crm: 'salesforce',
  matches(url) {
    const u = parse(url);
    return !!u && u.protocol === 'https:' && orgOf(u.hostname) !== null;
  },
  recordFromUrl,
  readContext,
  mountPoint: (doc) => doc.body,
};
