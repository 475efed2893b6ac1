import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_SETTINGS, parseRiskSettings, RULE_IDS, riskSettingsSchema } from '../../../domain/risk';

const withChange = (change: (s: Record<string, any>) => void) => {
  const s = structuredClone(DEFAULT_RISK_SETTINGS) as Record<string, any>;
  change(s);
  return s;
};

describe('risk settings schema', () => {
  it('accepts the defaults and an edited copy', () => {
    expect(riskSettingsSchema.parse(DEFAULT_RISK_SETTINGS)).toEqual(DEFAULT_RISK_SETTINGS);
    const edited = withChange((s) => { s.rules.stale = { enabled: false, weight: 0 }; s.staleDays = 7; });
    expect(parseRiskSettings(edited)).toEqual({ ok: true, settings: edited });
  });

  it.each([
    ['negative weight', (s: any) => { s.rules.blocker.weight = -1; }, 'rules.blocker.weight'],
    ['weight above 100', (s: any) => { s.rules.blocker.weight = 101; }, 'rules.blocker.weight'],
    ['fractional weight', (s: any) => { s.rules.stale.weight = 2.5; }, 'rules.stale.weight'],
    ['enabled as text', (s: any) => { s.rules.stale.enabled = 'yes'; }, 'rules.stale.enabled'],
    ['a missing rule', (s: any) => { delete s.rules['stage-lag']; }, 'rules.stage-lag'],
    ['an unknown rule', (s: any) => { s.rules['gut-feeling'] = { enabled: true, weight: 5 }; }, 'rules'],
    ['zero stale days', (s: any) => { s.staleDays = 0; }, 'staleDays'],
    ['stale days as text', (s: any) => { s.staleDays = '21'; }, 'staleDays'],
    ['a stance gap of 1', (s: any) => { s.stanceConflictGap = 1; }, 'stanceConflictGap'],
    ['more roles than can be credited', (s: any) => { s.minRoles = 9; }, 'minRoles'],
    ['medium not below high', (s: any) => { s.levels = { medium: 60, high: 60 }; }, 'levels.high'],
    ['an unknown setting', (s: any) => { s.extra = 1; }, '(settings)'],
    ['a missing threshold', (s: any) => { delete s.minEngaged; }, 'minEngaged'],
  ])('rejects %s', (_name, change, path) => {
    const result = parseRiskSettings(withChange(change));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.startsWith(`${path}:`)).toBe(true);
  });

  it('rejects what is not an object', () => {
    for (const bad of [null, 42, 'settings', []]) expect(parseRiskSettings(bad).ok).toBe(false);
  });

  it('defaults: every rule enabled, frozen against accidental edits', () => {
    expect(Object.keys(DEFAULT_RISK_SETTINGS.rules)).toEqual([...RULE_IDS]);
    expect(RULE_IDS.every((id) => DEFAULT_RISK_SETTINGS.rules[id].enabled)).toBe(true);
    expect(() => { (DEFAULT_RISK_SETTINGS.rules.stale as { weight: number }).weight = 1; }).toThrow(TypeError);
  });
});
