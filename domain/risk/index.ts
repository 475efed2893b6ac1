/**
 * The explainable deal-risk engine (shared/domain.md §3). Pure: no browser API, no storage.
 *
 * Score: every enabled rule that fires contributes `round(weight × severity)` points (severity is 1
 * except for a partial `single-threaded`, see rules.ts); the score is the sum, capped at 100. The
 * level is `high` from `levels.high`, `medium` from `levels.medium`, else `low`. Every fired rule is a
 * reason (also one whose weight is 0), ordered by points, highest first; ties follow `RULE_IDS` order.
 */
import type { Deal } from '../model';
import type { Label } from '../taxonomy';
import { accountRiskInput, coverageOf, unionCommittee, type CommitteeRows, type Coverage, type RiskInput } from './committee';
import { RULES } from './rules';
import { DEFAULT_RISK_SETTINGS, levelFor, RULE_IDS, type RiskLevel, type RiskSettings, type RuleId } from './settings';

export interface RiskReason {
  ruleId: RuleId;
  /** Points this reason adds to the score (before the cap at 100). */
  points: number;
  /** The contacts that are its evidence (may be empty, e.g. for a missing decision maker). */
  contactKeys: string[];
  /** Plain text (names are untrusted: render as text, never as HTML). */
  message: Label;
  nextStep: Label;
}
export interface RiskResult {
  /** Integer 0–100. */
  score: number;
  level: RiskLevel;
  reasons: RiskReason[];
  coverage: Coverage;
}

export function assessRisk(input: RiskInput, settings: RiskSettings = DEFAULT_RISK_SETTINGS): RiskResult {
  const members = unionCommittee(input.members, input.committeeKey);
  const coverage = coverageOf(members, input.contacts);
  const ctx = { input, members, coverage, settings };
  const reasons: RiskReason[] = [];
  for (const rule of RULES) {
    const { enabled, weight } = settings.rules[rule.id];
    if (!enabled) continue;
    const finding = rule.evaluate(ctx);
    if (!finding) continue;
    reasons.push({
      ruleId: rule.id,
      points: Math.round(weight * finding.severity),
      contactKeys: finding.contactKeys,
      message: finding.message,
      nextStep: finding.nextStep,
    });
  }
  reasons.sort((a, b) => b.points - a.points || RULE_IDS.indexOf(a.ruleId) - RULE_IDS.indexOf(b.ruleId));
  const score = Math.min(100, reasons.reduce((sum, r) => sum + r.points, 0));
  return { score, level: levelFor(score, settings), reasons, coverage };
}

/** An account's risk over its own committee and all its deals' committees (see `accountRiskInput`). */
export function assessAccount(
  accountKey: string,
  deals: readonly Deal[],
  rows: CommitteeRows,
  settings: RiskSettings = DEFAULT_RISK_SETTINGS,
): RiskResult {
  return assessRisk(accountRiskInput(accountKey, deals, rows), settings);
}

export {
  accountRiskInput,
  coverageOf,
  coverageSummary,
  creditedRoles,
  dealRiskInput,
  effectiveStance,
  isEngaged,
  isProvenChampion,
  unionCommittee,
  type CommitteeRows,
  type CoreRole,
  type Coverage,
  type DepartmentCoverage,
  type RiskInput,
} from './committee';
export { displayName, nameList, RULES, type RuleDefinition } from './rules';
export {
  DEFAULT_RISK_SETTINGS,
  DEFAULT_RULE_WEIGHTS,
  levelFor,
  parseRiskSettings,
  RISK_LEVEL_LABELS,
  RISK_LEVELS,
  riskSettingsSchema,
  RULE_IDS,
  type RiskLevel,
  type RiskSettings,
  type RuleId,
} from './settings';
