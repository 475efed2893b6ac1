/** Small labelled controls shared by the panel's editors. Labels are the controls' accessible names. */
import { useEffect, useId, useRef, useState } from 'react';
import type { Label, Language } from '../../domain/taxonomy';
import { relativeTime } from '../i18n';
import { useT, usePanel } from './context';

export function Since({ changed, verified, id }: { changed?: number; verified?: number; id: string }) {
  const t = useT();
  const lang = usePanel((s) => s.lang);
  const now = Date.now();
  const text =
    verified && (!changed || verified > changed)
      ? t('verifiedAgo', { time: relativeTime(verified, now, lang) })
      : changed
        ? t('changedAgo', { time: relativeTime(changed, now, lang) })
        : t('never');
  return (
    <span className="cl-since" id={id}>
      {text}
    </span>
  );
}

export function SelectField<V extends string>(props: {
  label: string;
  value: V | null;
  options: readonly ({ id: V } & Label)[];
  lang: Language;
  allowEmpty?: string;
  onChange: (value: V | null) => void;
  changed?: number;
  verified?: number;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="cl-field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value ?? ''}
        disabled={props.disabled}
        aria-describedby={`${id}-since`}
        onChange={(e) => props.onChange(e.target.value === '' ? null : (e.target.value as V))}
      >
        {props.allowEmpty !== undefined && <option value="">{props.allowEmpty}</option>}
        {props.options.map((o) => (
          <option key={o.id} value={o.id}>
            {o[props.lang]}
          </option>
        ))}
      </select>
      <Since id={`${id}-since`} changed={props.changed} verified={props.verified} />
    </div>
  );
}

/** A text field saved on blur, on Enter (single line) and shortly after typing stops. */
export function TextField(props: {
  label: string;
  value: string;
  onSave: (value: string) => void;
  multiline?: boolean;
  placeholder?: string;
  maxLength: number;
  changed?: number;
  disabled?: boolean;
}) {
  const id = useId();
  const [draft, setDraft] = useState(props.value);
  const saved = useRef(props.value);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    // Take in a value changed elsewhere (another tab, a colleague) unless the rep is typing.
    if (draft === saved.current) setDraft(props.value);
    saved.current = props.value;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const save = (value: string) => {
    clearTimeout(timer.current);
    const trimmed = value.trim();
    if (trimmed !== saved.current.trim()) {
      saved.current = trimmed;
      props.onSave(trimmed);
    }
  };
  const common = {
    id,
    value: draft,
    maxLength: props.maxLength,
    placeholder: props.placeholder,
    disabled: props.disabled,
    'aria-describedby': `${id}-since`,
    onBlur: () => save(draft),
    onChange: (e: { target: { value: string } }) => {
      setDraft(e.target.value);
      clearTimeout(timer.current);
      const value = e.target.value;
      timer.current = setTimeout(() => save(value), 800);
    },
  };
  return (
    <div className="cl-field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={2} />
      ) : (
        <input {...common} type="text" onKeyDown={(e) => e.key === 'Enter' && save(draft)} />
      )}
      <Since id={`${id}-since`} changed={props.changed} />
    </div>
  );
}
