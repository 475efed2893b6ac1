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

/** "3 days ago" in the UI language. */
export function relativeTime(at: number, now: number, lang: Language): string {
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 45) return translator(lang)('timeJustNow');
  const rtf = new Intl.RelativeTimeFormat(lang === 'zh' ? 'zh-CN' : 'en', { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  return rtf.format(seconds, 'second');
}
