/** The notes timeline of a person: add, delete (leaving a visible tombstone), author and time on each. */
import { useId, useState } from 'react';
import { relativeTime } from '../i18n';
import { useT, usePanel } from './context';
import type { Note } from '../../domain/model';

/** One empty list for every render without a person: a fresh [] from the selector would be a new snapshot each time, and re-render forever. */
const NO_NOTES: readonly Note[] = [];

export function Notes() {
  const t = useT();
  const lang = usePanel((s) => s.lang);
  const notes = usePanel((s) => s.person?.notes ?? NO_NOTES);
  const { addNote, deleteNote } = usePanel((s) => s);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const now = Date.now();
  const submit = async () => {
    if (!draft.trim() || busy) return;
    setBusy(true);
    await addNote(draft.trim());
    setDraft('');
    setBusy(false);
  };
  return (
    <section className="cl-notes" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('notes')}</h3>
      <label htmlFor={`${id}-new`} className="cl-sr">
        {t('newNote')}
      </label>
      <textarea
        id={`${id}-new`}
        value={draft}
        rows={2}
        maxLength={10_000}
        placeholder={t('newNote')}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
        }}
      />
      <button type="button" onClick={() => void submit()} disabled={!draft.trim() || busy}>
        {t('addNote')}
      </button>
      <ul aria-label={t('notes')} className="cl-note-list">
        {notes.length === 0 && <li className="cl-muted">{t('noNotes')}</li>}
        {notes.map((n) =>
          n.deleted ? (
            <li key={n.key} className="cl-note cl-tombstone">
              {t('noteDeleted', { who: n.deletedBy || t('someone'), time: relativeTime(n.deletedAt ?? n.updatedAt, now, lang) })}
            </li>
          ) : (
            <li key={n.key} className="cl-note">
              <div className="cl-note-meta">
                <span>{n.author || t('you')}</span> · <time dateTime={new Date(n.createdAt).toISOString()}>{relativeTime(n.createdAt, now, lang)}</time>
                <button type="button" className="cl-link" aria-label={t('deleteNote')} onClick={() => void deleteNote(n.key)}>
                  ×
                </button>
              </div>
              <p className="cl-note-text">{n.text}</p>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}
