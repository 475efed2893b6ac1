/**
 * The nine risk rules of shared/domain.md §3. Each rule looks at the committee and either stays silent
 * or returns a finding: its severity (0–1, most rules are all-or-nothing), the contacts that are its
 * evidence, and a message and next step in English and Simplified Chinese. Names come from CRM pages
 * and colleagues: they are interpolated into plain strings only, never markup.
 *
 * Definitions ("member" = non-deleted membership of the committee; "decision maker" = member with the
 * role `decision_maker`; stances use `effectiveStance`, roles for coverage use `creditedRoles`):
 * 1. no-decision-maker — no decision maker. Evidence: none.
 * 2. authority-unverified — there are decision makers and either none has authority `verified`
 *    (evidence: all of them), or there is exactly one and their contact's `reportsTo` is a person who is
 *    not a member of this committee (evidence: that decision maker). Case 1 of the source.
 * 3. single-threaded — fewer than `minEngaged` engaged members (credited role or recorded stance):
 *    severity 1; otherwise fewer than `minRoles` distinct credited roles: severity 0.5.
 *    Evidence: the engaged members.
 * 4. users-not-heard — no member has the role `user` (evidence: none), or the members span at least two
 *    departments and fewer than min(`minDepartmentsHeard`, departments spanned) of them are heard
 *    (a department is heard when one of its members has a recorded stance). Evidence: members of the
 *    unheard departments. Case 3.
 * 5. stance-conflict — a decision maker and a different member who is a user or influencer stand on
 *    opposite sides of `neutral` and at least `stanceConflictGap` steps apart on
 *    champion·supportive·neutral·skeptical·opposed. Evidence: both sides. Case 2.
 * 6. blocker — a member with the role `blocker`, or with stance `opposed` and influence `high`.
 * 7. stage-lag — the deal stage is `transaction` or later while a decision maker's own stage is
 *    `awareness` or `evaluation` (a decision maker without a stage is not evidence of lag).
 * 8. stale — the committee has members and its last change is at least `staleDays` days before `now`,
 *    or no change time is known at all.
 * 9. renewal-risk — a user whose stage (their own, else the deal's) is `experience` or `loyalty` has
 *    stance `skeptical` or `opposed`.
 */
import type { Contact, Membership } from '../model';
import { STAGE, STANCE, stageIndex, type Label, type Language, type Stance } from '../taxonomy';
import { DAY_MS, effectiveStance, type Coverage, type RiskInput } from './committee';
import type { RiskSettings, RuleId } from './settings';

export interface RuleContext {
  input: RiskInput;
  /** One merged membership per contact, none deleted. */
  members: Membership[];
  coverage: Coverage;
  settings: RiskSettings;
}
export interface Finding {
  severity: number;
  contactKeys: string[];
  message: Label;
  nextStep: Label;
}
export interface RuleDefinition {
  id: RuleId;
  label: Label;
  /** What the rule checks, for the options page. */
  description: Label;
  evaluate(ctx: RuleContext): Finding | null;
}

const both = (text: (lang: Language) => string): Label => ({ en: text('en'), zh: text('zh') });
const has = (m: Membership, role: Membership['roles'][number]) => m.roles.includes(role);
const keysOf = (ms: readonly Membership[]) => [...new Set(ms.map((m) => m.contactKey))];

const NAMES_SHOWN = 3;
/** A contact's name as plain single-line text, or a placeholder. */
export function displayName(contact: Contact | undefined, lang: Language): string {
  const name = (contact?.name ?? '').replace(/\s+/g, ' ').trim();
  return name || (lang === 'zh' ? '未命名联系人' : 'an unnamed contact');
}
/** `Ann, Bob and Cy` / `Ann、Bob、Cy`; beyond three names: `Ann, Bob, Cy and 2 more` / `Ann、Bob、Cy 等 5 人`. */
export function nameList(keys: readonly string[], contacts: Record<string, Contact>, lang: Language): string {
  const names = keys.slice(0, NAMES_SHOWN).map((k) => displayName(contacts[k], lang));
  const rest = keys.length - names.length;
  if (lang === 'zh') return names.join('、') + (rest > 0 ? ` 等 ${keys.length} 人` : '');
  if (rest > 0) return `${names.join(', ')} and ${rest} more`;
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const positive = (s: Stance) => STANCE.ids.indexOf(s) < STANCE.ids.indexOf('neutral');
const negative = (s: Stance) => STANCE.ids.indexOf(s) > STANCE.ids.indexOf('neutral');
const stanceGap = (a: Stance, b: Stance) => Math.abs(STANCE.ids.indexOf(a) - STANCE.ids.indexOf(b));

export const RULES: readonly RuleDefinition[] = [
  {
    id: 'no-decision-maker',
    label: { en: 'No decision maker', zh: '未识别决策人' },
    description: { en: 'No contact has the role Decision maker.', zh: '没有联系人被标记为决策人。' },
    evaluate({ members }) {
      if (members.some((m) => has(m, 'decision_maker'))) return null;
      return {
        severity: 1,
        contactKeys: [],
        message: { en: 'No decision maker is identified on this committee.', zh: '该客户群中尚未识别决策人。' },
        nextStep: {
          en: 'Find out who gives final approval (it may sit higher up: the CEO, the board, a head office) and add them as Decision maker.',
          zh: '弄清楚谁拥有最终拍板权(可能在更高层:CEO、董事会或总部),并将其标记为决策人。',
        },
      };
    },
  },
  {
    id: 'authority-unverified',
    label: { en: 'Decision authority not verified', zh: '决策权未核实' },
    description: {
      en: 'Every decision maker’s authority is only claimed or unknown, or the only decision maker reports to someone not on the committee map.',
      zh: '所有决策人的决策权均为自称或未知,或唯一的决策人向不在客户群图中的人汇报。',
    },
    evaluate({ members, input }) {
      const dms = members.filter((m) => has(m, 'decision_maker'));
      if (dms.length === 0) return null;
      const unverified = dms.every((m) => m.authority !== 'verified');
      const only = dms.length === 1 ? dms[0] : undefined;
      const boss = only ? input.contacts[only.contactKey]?.reportsTo : null;
      const offMap = boss && !members.some((m) => m.contactKey === boss) ? boss : null;
      if (!unverified && !offMap) return null;
      const who = (lang: Language) => nameList(keysOf(dms), input.contacts, lang);
      const superior = offMap ? input.contacts[offMap] : undefined;
      const bossName = (lang: Language) =>
        superior?.name.trim() ? displayName(superior, lang) : lang === 'zh' ? '其上级' : 'their manager';
      const parts = {
        en: [
          unverified ? `The decision authority of ${who('en')} is only claimed or unknown.` : '',
          offMap ? `${who('en')} reports to ${bossName('en')}, who is not on the committee map: approval may sit higher up.` : '',
        ],
        zh: [
          unverified ? `${who('zh')}的决策权仅为自称或未知,尚未核实。` : '',
          offMap ? `${who('zh')}向${bossName('zh')}汇报,而后者不在客户群图中:审批权可能在更高层。` : '',
        ],
      };
      return {
        severity: 1,
        contactKeys: keysOf(dms),
        message: both((lang) => parts[lang].filter(Boolean).join(lang === 'zh' ? '' : ' ')),
        nextStep: offMap
          ? both((lang) =>
              lang === 'zh'
                ? `请${who('zh')}讲清采购审批流程,把${bossName('zh')}加入客户群图,并核实最终由谁审批。`
                : `Ask ${who('en')} to walk you through the approval chain, add ${bossName('en')} to the committee map and verify who signs off.`,
            )
          : {
              en: 'Verify who signs off: ask to walk through the purchase approval chain and meet the person who approves it.',
              zh: '核实由谁审批:请对方讲清采购审批流程,并争取与最终审批人见面。',
            },
      };
    },
  },
  {
    id: 'single-threaded',
    label: { en: 'Single-threaded', zh: '单线联系' },
    description: {
      en: 'Too few engaged contacts, or too few committee roles covered.',
      zh: '已接触的联系人太少,或覆盖的客户群角色太少。',
    },
    evaluate({ coverage, settings }) {
      const engaged = coverage.engaged.length;
      const fewContacts = engaged < settings.minEngaged;
      const fewRoles = coverage.rolesCovered < settings.minRoles;
      if (!fewContacts && !fewRoles) return null;
      const contacts = {
        en: engaged === 0 ? 'No engaged contacts yet.' : `Only ${engaged} engaged ${engaged === 1 ? 'contact' : 'contacts'}; at least ${settings.minEngaged} wanted.`,
        zh: engaged === 0 ? '尚无已接触的联系人。' : `只有 ${engaged} 位已接触的联系人,至少需要 ${settings.minEngaged} 位。`,
      };
      const roles = {
        en: `${coverage.rolesCovered} of ${settings.minRoles} committee roles covered.`,
        zh: `仅覆盖 ${coverage.rolesCovered}/${settings.minRoles} 种客户群角色。`,
      };
      return {
        severity: fewContacts ? 1 : 0.5,
        contactKeys: coverage.engaged,
        message: both((lang) =>
          [fewContacts ? contacts[lang] : '', fewRoles ? roles[lang] : ''].filter(Boolean).join(lang === 'zh' ? '' : ' '),
        ),
        nextStep: {
          en: 'Multi-thread the deal: ask your contacts to introduce the decision maker, the influencers and the daily users.',
          zh: '多线联系:请现有联系人引荐决策人、影响决策的人以及日常使用者。',
        },
      };
    },
  },
  {
    id: 'users-not-heard',
    label: { en: 'Users not heard', zh: '使用者意见未听取' },
    description: {
      en: 'No product user, or the committee spans several departments and only one (or too few) has been heard.',
      zh: '没有产品使用者,或客户群跨多个部门但只听取了一个(或太少)部门的意见。',
    },
    evaluate({ members, coverage, settings }) {
      const noUser = !members.some((m) => has(m, 'user'));
      const spanned = coverage.departments.length;
      const heard = coverage.departments.filter((d) => d.heard).length;
      const unheard = coverage.departments.filter((d) => !d.heard);
      const fewHeard = spanned >= 2 && heard < Math.min(settings.minDepartmentsHeard, spanned);
      if (!noUser && !fewHeard) return null;
      const parts = {
        en: [
          noUser ? 'No product user is on the committee.' : '',
          fewHeard ? `Only ${heard} of ${spanned} departments have been heard; not yet: ${unheard.map((d) => d.name).join(', ')}.` : '',
        ],
        zh: [
          noUser ? '客户群中没有产品使用者。' : '',
          fewHeard ? `${spanned} 个部门中只有 ${heard} 个已听取意见;尚未听取:${unheard.map((d) => d.name).join('、')}。` : '',
        ],
      };
      return {
        severity: 1,
        contactKeys: fewHeard ? unheard.flatMap((d) => d.contactKeys) : [],
        message: both((lang) => parts[lang].filter(Boolean).join(lang === 'zh' ? '' : ' ')),
        nextStep: fewHeard
          ? {
              en: 'Hear every department: their work affects each other. Record the stance of at least one person in each.',
              zh: '听取每个部门的意见:各部门的工作相互影响。每个部门至少记录一人的立场。',
            }
          : {
              en: 'Meet the people who will use the product every day and record their views.',
              zh: '拜访日常使用产品的人,并记录他们的意见。',
            },
      };
    },
  },
  {
    id: 'stance-conflict',
    label: { en: 'Stance conflict', zh: '立场冲突' },
    description: {
      en: 'A decision maker and a user or influencer stand on opposite sides.',
      zh: '决策人与使用者或影响决策的人立场相反。',
    },
    evaluate({ members, settings, input }) {
      const pairs: [Membership, Stance, Membership, Stance][] = [];
      for (const dm of members.filter((m) => has(m, 'decision_maker'))) {
        const a = effectiveStance(dm);
        if (!a) continue;
        for (const other of members) {
          const b = effectiveStance(other);
          if (other === dm || !b || !(has(other, 'user') || has(other, 'influencer'))) continue;
          const opposite = (positive(a) && negative(b)) || (negative(a) && positive(b));
          if (opposite && stanceGap(a, b) >= settings.stanceConflictGap) pairs.push([dm, a, other, b]);
        }
      }
      if (pairs.length === 0) return null;
      const shown = pairs.slice(0, NAMES_SHOWN);
      const more = pairs.length - shown.length;
      const name = (m: Membership, lang: Language) => displayName(input.contacts[m.contactKey], lang);
      return {
        severity: 1,
        contactKeys: keysOf(pairs.flatMap(([dm, , other]) => [dm, other])),
        message: both((lang) => {
          const list = shown.map(([dm, a, other, b]) =>
            lang === 'zh'
              ? `${name(dm, lang)}(${STANCE.labels[a].zh})与${name(other, lang)}(${STANCE.labels[b].zh})`
              : `${name(dm, lang)} (${STANCE.labels[a].en}) vs. ${name(other, lang)} (${STANCE.labels[b].en})`,
          );
          return lang === 'zh'
            ? `决策人与使用者/影响决策的人立场冲突:${list.join(';')}${more > 0 ? ` 等 ${pairs.length} 组` : ''}。`
            : `The decision maker and users or influencers disagree: ${list.join('; ')}${more > 0 ? ` and ${more} more` : ''}.`;
        }),
        nextStep: {
          en: 'Do not turn a company problem into one person’s problem: hear the users’ concerns and find a solution that works for both sides (for example, room for context next to the numbers).',
          zh: '不要把企业问题变成个人问题:听取使用者的顾虑,寻找兼顾双方的方案(例如在数据旁留出备注和背景说明)。',
        },
      };
    },
  },
  {
    id: 'blocker',
    label: { en: 'Active blocker', zh: '存在阻碍者' },
    description: {
      en: 'A contact has the role Blocker, or is opposed with high influence.',
      zh: '有联系人被标记为阻碍者,或持反对立场且影响力高。',
    },
    evaluate({ members, input }) {
      const found = members.filter(
        (m) => has(m, 'blocker') || (effectiveStance(m) === 'opposed' && m.influence === 'high'),
      );
      if (found.length === 0) return null;
      const who = (lang: Language) => nameList(keysOf(found), input.contacts, lang);
      return {
        severity: 1,
        contactKeys: keysOf(found),
        message: both((lang) =>
          lang === 'zh' ? `反对此项合作的关键人物:${who(lang)}。` : `Working against the deal: ${who(lang)}.`,
        ),
        nextStep: {
          en: 'Understand the objection and what they would win; address it with your sponsor before it reaches the decision.',
          zh: '了解对方的反对理由以及他们能获得什么;在进入决策前,借助支持者妥善化解。',
        },
      };
    },
  },
  {
    id: 'stage-lag',
    label: { en: 'Stage lag', zh: '阶段滞后' },
    description: {
      en: 'The deal is at Transaction or later while a decision maker is still at an early stage.',
      zh: '交易已到成功交易或之后的阶段,但决策人仍处于早期阶段。',
    },
    evaluate({ members, input }) {
      if (!input.dealStage || stageIndex(input.dealStage) < stageIndex('transaction')) return null;
      const lagging = members.filter(
        (m) => has(m, 'decision_maker') && m.stage !== null && stageIndex(m.stage) <= stageIndex('evaluation'),
      );
      if (lagging.length === 0) return null;
      const stage = STAGE.labels[input.dealStage];
      const who = (lang: Language) => nameList(keysOf(lagging), input.contacts, lang);
      return {
        severity: 1,
        contactKeys: keysOf(lagging),
        message: both((lang) =>
          lang === 'zh'
            ? `交易已处于“${stage.zh}”阶段,但决策人${who(lang)}仍处于早期阶段(关注或对比)。`
            : `The deal is at “${stage.en}”, but decision ${lagging.length === 1 ? 'maker' : 'makers'} ${who(lang)} ${lagging.length === 1 ? 'is' : 'are'} still at an early stage (interest or evaluation).`,
        ),
        nextStep: {
          en: 'Re-engage the decision maker: confirm they back the deal, then update their stage.',
          zh: '重新接触决策人:确认其支持此项合作,然后更新其所处阶段。',
        },
      };
    },
  },
  {
    id: 'stale',
    label: { en: 'Stale committee', zh: '长期未更新' },
    description: {
      en: 'No change to the committee for the configured number of days.',
      zh: '客户群在设定的天数内没有任何更新。',
    },
    evaluate({ members, input, settings }) {
      if (members.length === 0) return null;
      const { lastChangeAt, now } = input;
      if (lastChangeAt !== null && now - lastChangeAt < settings.staleDays * DAY_MS) return null;
      const days = lastChangeAt === null ? null : Math.floor((now - lastChangeAt) / DAY_MS);
      return {
        severity: 1,
        contactKeys: [],
        message:
          days === null
            ? { en: 'No change to the committee has been recorded.', zh: '客户群尚无任何更新记录。' }
            : {
                en: `No change to the committee for ${days} days (limit ${settings.staleDays}).`,
                zh: `客户群已 ${days} 天未更新(上限 ${settings.staleDays} 天)。`,
              },
        nextStep: {
          en: 'Check in with the committee: confirm roles, stances and stages, and add a note.',
          zh: '与客户群成员重新沟通:确认角色、立场和阶段,并添加备注。',
        },
      };
    },
  },
  {
    id: 'renewal-risk',
    label: { en: 'Renewal risk', zh: '续约风险' },
    description: {
      en: 'After the sale, product users are skeptical or opposed.',
      zh: '售后阶段,产品使用者持怀疑或反对态度。',
    },
    evaluate({ members, input }) {
      const unhappy = members.filter((m) => {
        const stage = m.stage ?? input.dealStage;
        const stance = effectiveStance(m);
        return (
          has(m, 'user') &&
          (stage === 'experience' || stage === 'loyalty') &&
          (stance === 'skeptical' || stance === 'opposed')
        );
      });
      if (unhappy.length === 0) return null;
      const who = (lang: Language) => nameList(keysOf(unhappy), input.contacts, lang);
      return {
        severity: 1,
        contactKeys: keysOf(unhappy),
        message: both((lang) =>
          lang === 'zh' ? `售后阶段使用者不满意:${who(lang)}。` : `After the sale, users are unhappy: ${who(lang)}.`,
        ),
        nextStep: {
          en: 'The renewal depends on the users’ experience: meet them, hear the problems and agree on fixes well before the renewal.',
          zh: '续约取决于使用者体验:与他们会面,听取问题,并在续约前尽早商定改进措施。',
        },
      };
    },
  },
];
