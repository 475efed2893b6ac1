/** Language choice and translation for every view. */
import { AUTHORITY, INFLUENCE, ROLE, SEGMENT, STAGE, STANCE, type Label, type Language } from '../../domain/taxonomy';
import { MESSAGES, type MessageKey } from './messages';

export type { MessageKey };
export type LanguageSetting = 'auto' | Language;

/** The UI language: the user's choice, else the browser's (any zh-* → Simplified Chinese), else English. */
export function resolveLanguage(setting: LanguageSetting | undefined, browserLanguage: string | undefined): Language {
  if (setting === 'en' || setting === 'zh') return setting;
  return browserLanguage?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Language): Translate {
  const table = MESSAGES[lang];
  return (key, params) => {
    const text: string = table[key] ?? MESSAGES.en[key];
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };
}

export const TERMS = { role: ROLE, stage: STAGE, stance: STANCE, authority: AUTHORITY, influence: INFLUENCE, segment: SEGMENT };

export function labelOf(label: Label | undefined, lang: Language): string {
  return label ? label[lang] : '';
}

const UNITS = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
] as const;

/**
 * "3 days ago" in the UI language, from the catalog (not Intl.RelativeTimeFormat: its locale data costs a
 * CRM page ~10 ms on first use). Times ahead of now (another member's clock) read as "just now".
 */
export function relativeTime(at: number, now: number, lang: Language): string {
  const t = translator(lang);
  const seconds = Math.round((now - at) / 1000);
  for (const [unit, size] of UNITS) {
    const n = Math.round(seconds / size);
    if (seconds >= size) return t(`ago_${unit}_${n === 1 ? 'one' : 'other'}`, { n });
  }
  return t('timeJustNow');
}

/** A calendar date (local time) as YYYY-MM-DD, read the same in both languages. */
export function isoDate(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
