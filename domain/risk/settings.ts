/**
 * Risk settings: which rules run, how much each weighs, and the thresholds they use.
 * The defaults are documented in DEFAULTS.md; the options page and settings import validate with
 * `riskSettingsSchema` (strict: every rule and threshold must be present, unknown keys are rejected).
 */
import { z } from 'zod';
import type { Label } from '../taxonomy';

/** Stable rule ids (storage, exports and the popup's `data-rule-id`). The order breaks score ties. */
export const RULE_IDS = [
  'no-decision-maker',
  'authority-unverified',
  'single-threaded',
  'users-not-heard',
  'stance-conflict',
  'blocker',
  'stage-lag',
  'stale',
  'renewal-risk',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_LABELS: Record<RiskLevel, Label> = {
  low: { en: 'Low', zh: '低' },
  medium: { en: 'Medium', zh: '中' },
  high: { en: 'High', zh: '高' },
};

const count = (min: number, max: number) => z.number().int().min(min).max(max);

const ruleSettingSchema = z.strictObject({ enabled: z.boolean(), weight: count(0, 100) });

export const riskSettingsSchema = z.strictObject({
  rules: z.record(z.enum(RULE_IDS), ruleSettingSchema),
  /** `stale` fires when the committee has not changed for this many days. */
  staleDays: count(1, 365),
  /** `single-threaded` fires below this many engaged contacts… */
  minEngaged: count(1, 50),
  /** …or below this many distinct credited roles (8 roles can be credited: all but blocker and other). */
  minRoles: count(1, 8),
  /** `users-not-heard` fires when fewer departments than this (or than all of them) have been heard. */
  minDepartmentsHeard: count(1, 20),
  /** `stance-conflict`: minimum steps apart on the stance scale (champion … opposed), across neutral. */
  stanceConflictGap: count(2, 4),
  /** Score thresholds: `medium` from `levels.medium`, `high` from `levels.high`. */
  levels: z
    .strictObject({ medium: count(1, 100), high: count(1, 100) })
    .refine((l) => l.medium < l.high, { message: 'the medium level must start below the high level', path: ['high'] }),
});
export type RiskSettings = z.infer<typeof riskSettingsSchema>;

export const DEFAULT_RULE_WEIGHTS: Record<RuleId, number> = {
  'no-decision-maker': 30,
  'authority-unverified': 20,
  'single-threaded': 20,
  'users-not-heard': 15,
  'stance-conflict': 15,
  blocker: 25,
  'stage-lag': 15,
  stale: 10,
  'renewal-risk': 25,
};

/** Deeply frozen: copy it (`structuredClone`) before editing. */
export const DEFAULT_RISK_SETTINGS: RiskSettings = Object.freeze({
  rules: Object.freeze(
    Object.fromEntries(RULE_IDS.map((id) => [id, Object.freeze({ enabled: true, weight: DEFAULT_RULE_WEIGHTS[id] })])),
  ) as RiskSettings['rules'],
  staleDays: 21,
  minEngaged: 2,
  minRoles: 3,
  minDepartmentsHeard: 2,
  stanceConflictGap: 2,
  levels: Object.freeze({ medium: 30, high: 60 }),
});

export function levelFor(score: number, settings: RiskSettings): RiskLevel {
  if (score >= settings.levels.high) return 'high';
  if (score >= settings.levels.medium) return 'medium';
  return 'low';
}

/**
 * Validate settings from the options page or an import. Returns the settings or a readable error
 * listing every problem with its path (e.g. `rules.stale.weight: Too big: expected number to be <=100`).
 */
export function parseRiskSettings(input: unknown): { ok: true; settings: RiskSettings } | { ok: false; error: string } {
  const parsed = riskSettingsSchema.safeParse(input);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    error: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(settings)'}: ${i.message}`).join('; '),
  };
}
