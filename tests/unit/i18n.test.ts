import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../components/i18n/messages';
import { isoDate, relativeTime, resolveLanguage, translator } from '../../components/i18n';
import { AUTHORITY, INFLUENCE, ROLE, SEGMENT, STAGE, STANCE } from '../../domain/taxonomy';

describe('i18n', () => {
  it('has every message in both languages, none empty, same placeholders', () => {
    expect(Object.keys(MESSAGES.zh).sort()).toEqual(Object.keys(MESSAGES.en).sort());
    for (const [key, en] of Object.entries(MESSAGES.en)) {
      const zh = MESSAGES.zh[key as keyof typeof MESSAGES.en];
      expect(en.trim(), key).not.toBe('');
      expect(zh.trim(), key).not.toBe('');
      const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(params(zh), key).toEqual(params(en));
    }
  });
  it('translates every message (only brand names and codes may read the same)', () => {
    const same = Object.entries(MESSAGES.en).filter(([k, en]) => MESSAGES.zh[k as keyof typeof MESSAGES.en] === en).map(([k]) => k);
    expect(same).toEqual(['appName', 'popupTitle']);
  });
  it('labels every term in both languages', () => {
    for (const terms of [ROLE, STAGE, STANCE, AUTHORITY, INFLUENCE, SEGMENT])
      for (const term of terms.terms) {
        expect(term.en).toMatch(/\S/);
        expect(term.zh).toMatch(/\S/);
      }
  });
  it.each([
    ['auto', 'zh-CN', 'zh'],
    ['auto', 'zh-TW', 'zh'],
    ['auto', 'en-US', 'en'],
    ['auto', 'fr', 'en'],
    ['en', 'zh-CN', 'en'],
    ['zh', 'en-GB', 'zh'],
    [undefined, undefined, 'en'],
  ] as const)('setting %s with browser %s → %s', (setting, browser, lang) => {
    expect(resolveLanguage(setting, browser)).toBe(lang);
  });
  it('fills placeholders and leaves unknown ones', () => {
    expect(translator('en')('committeeAccount', { name: 'Acme' })).toBe('Account: Acme');
    expect(translator('zh')('committeeAccount', { name: '华东' })).toBe('客户:华东');
    expect(translator('en')('committeeAccount')).toBe('Account: {name}');
  });
  it('formats relative times in both languages', () => {
    const now = Date.UTC(2026, 10, 22);
    expect(relativeTime(now - 3 * 86_400_000, now, 'en')).toBe('3 days ago');
    expect(relativeTime(now - 3 * 86_400_000, now, 'zh')).toBe('3天前');
    expect(relativeTime(now - 10_000, now, 'en')).toBe('just now');
    expect(relativeTime(now + 3_600_000, now, 'en')).toBe('just now'); // another member's clock ahead
    expect.soft(relativeTime(now - 60_000, now, 'en')).toBe('1 minute ago');
    expect.soft(relativeTime(now - 5 * 60_000, now, 'zh')).toBe('5分钟前');
    expect.soft(relativeTime(now - 2 * 3_600_000, now, 'en')).toBe('2 hours ago');
    expect.soft(relativeTime(now - 86_400_000, now, 'en')).toBe('yesterday');
    expect.soft(relativeTime(now - 86_400_000, now, 'zh')).toBe('昨天');
    expect.soft(relativeTime(now - 14 * 86_400_000, now, 'en')).toBe('2 weeks ago');
    expect.soft(relativeTime(now - 65 * 86_400_000, now, 'zh')).toBe('2个月前');
    expect.soft(relativeTime(now - 400 * 86_400_000, now, 'en')).toBe('last year');
  });
  it('writes calendar dates as YYYY-MM-DD in local time', () => {
    expect(isoDate(new Date(2026, 0, 5, 23, 30).getTime())).toBe('2026-01-05');
  });
});
