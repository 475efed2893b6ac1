/** Generated bench data: accounts with deals and buying committees, as a JSON backup (imported through the product). */
import { recordKey, salesforceChecksum, membershipKey } from '../../domain/ids';
import { serializeBackup, type BackupData } from '../../domain/formats/backup';
import type { Account, Contact, Deal, Membership } from '../../domain/model';
import { emptyContact, emptyMembership } from '../../domain/rows';
import { ROLE, STAGE, STANCE } from '../../domain/taxonomy';

const sfId = (prefix: string, n: number) => {
  const id15 = `${prefix}${n.toString(36).toUpperCase().padStart(12, '0')}`.slice(0, 15);
  return id15 + salesforceChecksum(id15);
};
export const key = (object: 'contact' | 'account' | 'opportunity', n: number) =>
  recordKey({ crm: 'salesforce', org: 'acme', object, id: sfId(object === 'contact' ? '003' : object === 'account' ? '001' : '006', n) });

/** `memberships` spread over deals of 10 members each, 4 deals per account; people shared within an account. */
export function benchData(memberships: number, dealsWanted = Math.ceil(memberships / 10)): { data: BackupData; sample: { account: string; deal: string; contact: string } } {
  const t = Date.UTC(2026, 9, 1);
  const deals: Deal[] = [];
  const accounts: Account[] = [];
  const contacts: Contact[] = [];
  const members: Membership[] = [];
  const perDeal = Math.max(1, Math.round(memberships / dealsWanted));
  for (let d = 0; d < dealsWanted; d++) {
    const a = Math.floor(d / 4);
    if (d % 4 === 0) accounts.push({ key: key('account', a), name: `Account ${a}`, segment: 'mid_market', updatedAt: t, changed: { name: t, segment: t } });
    const dealKey = key('opportunity', d);
    deals.push({ key: dealKey, name: `Deal ${d}`, accountKey: key('account', a), stage: STAGE.ids[d % 6]!, updatedAt: t, changed: { name: t, accountKey: t, stage: t } });
    for (let m = 0; m < perDeal && members.length < memberships; m++) {
      const c = a * 12 + ((d % 4) * 3 + m) % 12;
      const contactKey = key('contact', c);
      if (!contacts[c]) contacts[c] = { ...emptyContact(contactKey), name: `Person ${c}`, title: 'Manager', department: ['Sales', 'IT', 'Finance', 'Warehouse'][c % 4]!, accountKey: key('account', a), updatedAt: t, changed: { name: t, title: t, department: t, accountKey: t } };
      const mk = membershipKey(dealKey, contactKey);
      if (members.length && members[members.length - 1]!.key === mk) continue;
      members.push({
        ...emptyMembership(mk, key('account', a)),
        roles: [ROLE.ids[(d + m) % 4]!],
        stance: STANCE.ids[(d * 7 + m) % 5]!,
        stage: STAGE.ids[(d + m) % 6]!,
        updatedAt: t,
        changed: { roles: t, stance: t, stage: t, accountKey: t },
      });
    }
  }
  const unique = [...new Map(members.map((m) => [m.key, m])).values()];
  return {
    data: { contacts: contacts.filter(Boolean), accounts, deals, memberships: unique, notes: [], settings: [] },
    sample: { account: key('account', 0), deal: key('opportunity', 0), contact: unique[0]!.contactKey },
  };
}

export function benchBackup(memberships: number, deals?: number) {
  const { data, sample } = benchData(memberships, deals);
  return { text: serializeBackup(data, { exportedAt: new Date() }), data, sample };
}
