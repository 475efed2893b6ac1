/**
 * The committee map on an account or deal: the reports-to chain drawn as an org chart (people not yet
 * placed listed beside it), and a grid of core roles × lifecycle stages showing who is where.
 */
import type { Contact, Membership } from '../../domain/model';
import { CORE_ROLES, ROLE, STAGE, STANCE, type Language, type Role, type Stage } from '../../domain/taxonomy';
import type { Translate } from '../i18n';
import { sortByName } from './collate';

export interface MapPerson {
  key: string;
  name: string;
  roles: Role[];
  stance: Membership['stance'];
  stage: Stage | null;
  reportsTo: string | null;
}

/** People of the committee (merged per contact) with their place in the chain. */
export function mapPeople(members: Membership[], contacts: Record<string, Contact>): MapPerson[] {
  const byKey = new Map<string, MapPerson>();
  for (const m of members) {
    const p = byKey.get(m.contactKey) ?? { key: m.contactKey, name: contacts[m.contactKey]?.name ?? '', roles: [], stance: null, stage: null, reportsTo: contacts[m.contactKey]?.reportsTo ?? null };
    for (const r of m.roles) if (!p.roles.includes(r)) p.roles.push(r);
    p.stance ??= m.stance;
    if (m.stage && (!p.stage || STAGE.ids.indexOf(m.stage) > STAGE.ids.indexOf(p.stage))) p.stage = m.stage;
    byKey.set(m.contactKey, p);
  }
  return sortByName([...byKey.values()]);
}

/** The org chart: trees rooted at people whose manager is not on the map, and the unplaced (no manager, no reports). */
export function orgChart(people: MapPerson[]): { roots: MapPerson[]; children: Map<string, MapPerson[]>; unplaced: MapPerson[] } {
  const keys = new Set(people.map((p) => p.key));
  const children = new Map<string, MapPerson[]>();
  for (const p of people) if (p.reportsTo && keys.has(p.reportsTo) && p.reportsTo !== p.key) children.set(p.reportsTo, [...(children.get(p.reportsTo) ?? []), p]);
  const placed = (p: MapPerson) => (p.reportsTo && keys.has(p.reportsTo)) || children.has(p.key);
  const roots = people.filter((p) => !(p.reportsTo && keys.has(p.reportsTo)) && children.has(p.key));
  return { roots, children, unplaced: people.filter((p) => !placed(p)) };
}

function Person({ p, t, lang }: { p: MapPerson; t: Translate; lang: Language }) {
  const bits = [p.roles.map((r) => ROLE.labels[r][lang]).join(', '), p.stance && STANCE.labels[p.stance][lang], p.stage && STAGE.labels[p.stage][lang]].filter(Boolean);
  return (
    <span>
      <strong>{p.name || t('unnamed')}</strong>
      {bits.length > 0 && <span className="cl-muted"> · {bits.join(' · ')}</span>}
    </span>
  );
}

function Branch({ p, chart, t, lang, seen }: { p: MapPerson; chart: ReturnType<typeof orgChart>; t: Translate; lang: Language; seen: Set<string> }) {
  const kids = seen.has(p.key) ? [] : (chart.children.get(p.key) ?? []);
  const next = new Set(seen).add(p.key);
  return (
    <li>
      <Person p={p} t={t} lang={lang} />
      {kids.length > 0 && (
        <ul>
          {kids.map((k) => (
            <Branch key={k.key} p={k} chart={chart} t={t} lang={lang} seen={next} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function CommitteeMap({ members, contacts, t, lang }: { members: Membership[]; contacts: Record<string, Contact>; t: Translate; lang: Language }) {
  const people = mapPeople(members, contacts);
  if (people.length === 0) return null;
  const chart = orgChart(people);
  return (
    <section className="cl-map" aria-label={t('committeeMap')}>
      <h3>{t('committeeMap')}</h3>
      {chart.roots.length > 0 && (
        <ul aria-label={t('orgChart')} className="cl-tree">
          {chart.roots.map((p) => (
            <Branch key={p.key} p={p} chart={chart} t={t} lang={lang} seen={new Set()} />
          ))}
        </ul>
      )}
      {chart.unplaced.length > 0 && (
        <>
          <h4>{t('notPlaced')}</h4>
          <ul aria-label={t('notPlaced')} className="cl-unplaced">
            {chart.unplaced.map((p) => (
              <li key={p.key}>
                <Person p={p} t={t} lang={lang} />
              </li>
            ))}
          </ul>
        </>
      )}
      <table className="cl-grid" aria-label={t('roleStageGrid')}>
        <thead>
          <tr>
            <th scope="col">{t('roles')}</th>
            {STAGE.ids.map((s) => (
              <th key={s} scope="col" title={STAGE.labels[s][lang]}>
                {STAGE.ids.indexOf(s) + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {CORE_ROLES.map((role) => (
            <tr key={role}>
              <th scope="row">{ROLE.labels[role][lang]}</th>
              {STAGE.ids.map((s) => (
                <td key={s} aria-label={`${ROLE.labels[role][lang]} · ${STAGE.labels[s][lang]}`}>
                  {people
                    .filter((p) => p.roles.includes(role) && p.stage === s)
                    .map((p) => p.name || t('unnamed'))
                    .join(', ')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
