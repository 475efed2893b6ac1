/** The committee of an account, opportunity or deal: tagged people plus those the page lists, with quick tagging. */
import { kindOf, parseRecordKey } from '../../domain/ids';
import type { Membership } from '../../domain/model';
import { ROLE, STAGE, STANCE, type Role } from '../../domain/taxonomy';
import { useT, usePanel } from './context';
import { ORDERED_ROLES } from './PersonEditor';
import { CommitteeMap } from './CommitteeMap';
import { nameComparator } from './collate';
import { RiskSummary } from '../app/RiskSummary';

export interface CommitteeRow {
  contactKey: string;
  name: string;
  title: string;
  roles: Role[];
  /** This committee's own membership (quick tagging edits it). */
  own: Membership | undefined;
  listed: boolean;
}

/** People of the committee: members (roles merged over the account's deals) first, then untagged people the page lists. */
export function committeeRows(
  committeeKey: string,
  members: Membership[],
  contacts: Record<string, { name: string; title: string }>,
  listed: { key: string; name: string; title?: string }[],
): CommitteeRow[] {
  const rows = new Map<string, CommitteeRow>();
  const listedKeys = new Set(listed.map((c) => c.key));
  const row = (key: string, name: string, title: string) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { contactKey: key, name, title, roles: [], own: undefined, listed: listedKeys.has(key) }));
    return r;
  };
  for (const m of members) {
    const c = contacts[m.contactKey];
    const r = row(m.contactKey, c?.name ?? '', c?.title ?? '');
    for (const role of m.roles) if (!r.roles.includes(role)) r.roles.push(role);
    if (m.committeeKey === committeeKey) r.own = m;
  }
  for (const c of listed) {
    const r = row(c.key, contacts[c.key]?.name || c.name, contacts[c.key]?.title || c.title || '');
    if (!r.name) r.name = c.name;
  }
  const order = (r: CommitteeRow) => (r.roles.length ? Math.min(...r.roles.map((x) => ORDERED_ROLES.indexOf(x))) : 99);
  const all = [...rows.values()];
  const compare = nameComparator(all.map((r) => r.name));
  return all
    .map((r) => ({ ...r, roles: ORDERED_ROLES.filter((x) => r.roles.includes(x)) }))
    .sort((a, b) => order(a) - order(b) || compare(a.name, b.name));
}

export function CommitteeList() {
  const t = useT();
  const lang = usePanel((s) => s.lang);
  const page = usePanel((s) => s.page)!;
  const committee = usePanel((s) => s.committee);
  const updateMembership = usePanel((s) => s.updateMembership);
  const risk = usePanel((s) => s.risk);
  if (!committee) return null;
  const rows = committeeRows(committee.committeeKey, committee.members, committee.contacts, page.contacts);
  const isDeal = kindOf(parseRecordKey(committee.committeeKey)!.object) === 'deal';
  const setRoles = (r: CommitteeRow, roles: Role[]) => void updateMembership(r.contactKey, { roles }, committee.committeeKey);

  return (
    <div className="cl-committee" data-committee-kind={isDeal ? 'deal' : 'account'}>
      {risk && <RiskSummary view={risk} t={t} lang={lang} compact />}
      {rows.length === 0 && <p className="cl-muted">{t('noMembers')}</p>}
      <ul aria-label={t('buyingCommittee')} className="cl-members">
        {rows.map((r) => {
          const name = r.name || t('unnamed');
          const ownRoles = r.own?.roles ?? [];
          return (
            <li key={r.contactKey} className="cl-member" data-contact-key={r.contactKey}>
              <div className="cl-member-head">
                <span className="cl-member-name">{name}</span>
                {r.title && <span className="cl-muted"> · {r.title}</span>}
                {r.roles.length === 0 && <span className="cl-badge cl-untagged">{t('untagged')}</span>}
              </div>
              <div className="cl-chips">
                {r.roles.map((role) =>
                  ownRoles.includes(role) ? (
                    <button key={role} type="button" className="cl-chip" aria-label={t('removeRole', { role: ROLE.labels[role][lang], name })}
                      onClick={() => setRoles(r, ownRoles.filter((x) => x !== role))}>
                      {ROLE.labels[role][lang]} ×
                    </button>
                  ) : (
                    <span key={role} className="cl-chip cl-chip-inherited">
                      {ROLE.labels[role][lang]}
                    </span>
                  ),
                )}
                <select className="cl-quick" aria-label={t('quickRole', { name })} value="" onChange={(e) => e.target.value && setRoles(r, [...ownRoles, e.target.value as Role])}>
                  <option value="">{t('addRole')}</option>
                  {ORDERED_ROLES.filter((x) => !ownRoles.includes(x)).map((x) => (
                    <option key={x} value={x}>
                      {ROLE.labels[x][lang]}
                    </option>
                  ))}
                </select>
              </div>
              {(r.own?.stance || r.own?.stage) && (
                <div className="cl-muted cl-member-meta">
                  {[r.own?.stance && STANCE.labels[r.own.stance][lang], r.own?.stage && STAGE.labels[r.own.stage][lang]].filter(Boolean).join(' · ')}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <CommitteeMap members={committee.members} contacts={committee.contacts} t={t} lang={lang} />
    </div>
  );
}
