/** The editor on a contact or lead page: committee roles, lifecycle, stance, authority, influence, org chart, notes. */
import { useId } from 'react';
import { membershipKey } from '../../domain/ids';
import type { Membership } from '../../domain/model';
import { AUTHORITY, CORE_ROLES, DEPARTMENT_SUGGESTIONS, INFLUENCE, ROLE, STAGE, STANCE, type Role } from '../../domain/taxonomy';
import { committeeOptions } from './store';
import { useT, usePanel } from './context';
import { SelectField, Since, TextField } from './fields';
import { Notes } from './Notes';
import { sortByName } from './collate';
import { ChampionCheck, StaleNotice, staleFields } from './Freshness';

/** Core roles first (the source's three), then the refinements. */
export const ORDERED_ROLES: readonly Role[] = [...CORE_ROLES, ...ROLE.ids.filter((r) => !CORE_ROLES.includes(r))];

export function PersonEditor() {
  const t = useT();
  const lang = usePanel((s) => s.lang);
  const page = usePanel((s) => s.page)!;
  const person = usePanel((s) => s.person);
  const account = usePanel((s) => s.account);
  const committeeKey = usePanel((s) => s.committeeKey);
  const { chooseCommittee, updateMembership, updateContact, setEvidence, verify } = usePanel((s) => s);
  const staleDays = usePanel((s) => s.staleDays);
  const rolesId = useId();

  const contact = person?.contact;
  const options = committeeOptions(person, account);
  const membership: Membership | undefined = committeeKey
    ? person?.memberships.find((m) => m.key === membershipKey(committeeKey, page.key))
    : undefined;
  const editing = !!committeeKey;
  const setM = (fields: Partial<Membership>) => void updateMembership(page.key, fields);
  const roles = membership?.roles ?? [];
  const stale = staleFields(membership, staleDays, Date.now());
  const dealName = (key: string) => account?.deals.find((d) => d.key === key)?.name;
  const committeeLabel = (key: string) =>
    key === account?.committeeKey
      ? t('committeeAccount', { name: account.account?.name || page.accountName || t('unnamed') })
      : t('committeeDeal', { name: dealName(key) || t('unnamed') });
  const peers = sortByName(Object.values(account?.contacts ?? {}).filter((c) => c.key !== page.key));

  return (
    <div className="cl-person">
      <div className="cl-field">
        <label htmlFor={`${rolesId}-committee`}>{t('committee')}</label>
        <select id={`${rolesId}-committee`} value={committeeKey ?? ''} disabled={!options.length} onChange={(e) => void chooseCommittee(e.target.value)}>
          {!options.length && <option value="">{t('committeeNone')}</option>}
          {options.map((key) => (
            <option key={key} value={key}>
              {committeeLabel(key)}
            </option>
          ))}
        </select>
      </div>

      <StaleNotice fields={stale} staleDays={staleDays} t={t} onConfirm={() => void verify(stale)} />
      <fieldset className="cl-roles" disabled={!editing} aria-describedby={`${rolesId}-since`}>
        <legend>{t('roles')}</legend>
        {ORDERED_ROLES.map((role) => (
          <label key={role} className={CORE_ROLES.includes(role) ? 'cl-role cl-core' : 'cl-role'}>
            <input
              type="checkbox"
              checked={roles.includes(role)}
              onChange={(e) => setM({ roles: e.target.checked ? [...roles, role] : roles.filter((r) => r !== role) })}
            />
            {ROLE.labels[role][lang]}
          </label>
        ))}
        <Since id={`${rolesId}-since`} changed={membership?.changed.roles} verified={membership?.verified.roles} />
      </fieldset>

      {membership && roles.includes('champion') && <ChampionCheck m={membership} t={t} onChange={(e, present) => void setEvidence(e, present)} />}

      <SelectField label={t('lifecycleStage')} lang={lang} value={membership?.stage ?? null} options={STAGE.terms} allowEmpty={t('notSet')}
        disabled={!editing} changed={membership?.changed.stage} verified={membership?.verified.stage} onChange={(stage) => setM({ stage })} />
      <SelectField label={t('stance')} lang={lang} value={membership?.stance ?? null} options={STANCE.terms} allowEmpty={t('notSet')}
        disabled={!editing} changed={membership?.changed.stance} verified={membership?.verified.stance} onChange={(stance) => setM({ stance })} />
      <SelectField label={t('authority')} lang={lang} value={membership?.authority ?? 'unknown'} options={AUTHORITY.terms}
        disabled={!editing} changed={membership?.changed.authority} verified={membership?.verified.authority} onChange={(authority) => setM({ authority: authority ?? 'unknown' })} />
      <SelectField label={t('influence')} lang={lang} value={membership?.influence ?? null} options={INFLUENCE.terms} allowEmpty={t('notSet')}
        disabled={!editing} changed={membership?.changed.influence} verified={membership?.verified.influence} onChange={(influence) => setM({ influence })} />

      <SelectField
        label={t('reportsTo')}
        lang={lang}
        value={contact?.reportsTo ?? null}
        options={peers.map((p) => ({ id: p.key, en: p.name || t('unnamed'), zh: p.name || t('unnamed') }))}
        allowEmpty={t('nobody')}
        changed={contact?.changed.reportsTo}
        onChange={(reportsTo) => void updateContact(page.key, { reportsTo })}
      />
      {/* A plain textbox (a datalist would make it a combobox); the suggestions show as its placeholder. */}
      <TextField label={t('department')} value={contact?.department ?? ''} maxLength={100} changed={contact?.changed.department}
        placeholder={DEPARTMENT_SUGGESTIONS.terms.map((d) => d[lang]).join(', ') + '…'}
        onSave={(department) => void updateContact(page.key, { department })} />
      <TextField label={t('whatTheyWin')} value={contact?.win ?? ''} maxLength={1000} multiline placeholder={t('whatTheyWinHint')}
        changed={contact?.changed.win} onSave={(win) => void updateContact(page.key, { win })} />

      <Notes />
    </div>
  );
}
