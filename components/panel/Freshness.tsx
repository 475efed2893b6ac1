/** Freshness and the champion check on a person's membership. */
import { CHAMPION_EVIDENCE } from '../../domain/ids';
import type { Membership } from '../../domain/model';
import { isoDate, type Translate } from '../i18n';

export const TAG_FIELDS = ['roles', 'stage', 'stance', 'authority', 'influence'] as const;
export type TagField = (typeof TAG_FIELDS)[number];
const DAY = 86_400_000;

/** Tags that are set and were neither changed nor confirmed within `staleDays`. */
export function staleFields(m: Membership | undefined, staleDays: number, now: number): TagField[] {
  if (!m) return [];
  const set = (f: TagField) => (f === 'roles' ? m.roles.length > 0 : f === 'authority' ? m.authority !== 'unknown' : m[f] !== null);
  return TAG_FIELDS.filter((f) => {
    const last = Math.max(m.changed[f] ?? 0, m.verified[f] ?? 0);
    return set(f) && last > 0 && now - last >= staleDays * DAY;
  });
}

export function StaleNotice({ fields, staleDays, t, onConfirm }: { fields: TagField[]; staleDays: number; t: Translate; onConfirm: () => void }) {
  if (fields.length === 0) return null;
  return (
    <div className="cl-stale" role="status">
      {t('staleTags', { count: fields.length, days: staleDays })}{' '}
      <button type="button" onClick={onConfirm}>
        {t('stillTrue')}
      </button>
    </div>
  );
}

export function ChampionCheck({ m, t, onChange }: { m: Membership; t: Translate; onChange: (evidence: (typeof CHAMPION_EVIDENCE)[number], present: boolean) => void }) {
  const proven = CHAMPION_EVIDENCE.every((e) => m.evidence[e] !== undefined);
  return (
    <fieldset className="cl-champion">
      <legend>{t('championCheck')}</legend>
      {CHAMPION_EVIDENCE.map((e) => (
        <label key={e} className="cl-role">
          <input type="checkbox" checked={m.evidence[e] !== undefined} onChange={(ev) => onChange(e, ev.target.checked)} />
          {t(`evidence_${e}`)}
          {m.evidence[e] !== undefined && <span className="cl-since"> ({t('evidenceSince', { date: isoDate(m.evidence[e]!) })})</span>}
        </label>
      ))}
      <p className={proven ? 'cl-muted' : 'cl-warning'}>{proven ? t('championProven') : t('championUnproven')}</p>
    </fieldset>
  );
}
