/** Import a JSON backup: the whole file is validated first, a preview shows what changes, applying is one transaction. */
import { Notice, type NoticeMessage } from '../app/Notice';
import { useId, useState } from 'react';
import type { BackupFilePayload, ImportResult } from '../../domain/protocol';
import { backupPayload, call } from '../../storage/client';
import type { Translate } from '../i18n';

/** Stated in the UI and the README; the background refuses larger files too. */
export const IMPORT_MAX_MB = 60;

export function ImportBackup({ t }: { t: Translate }) {
  const id = useId();
  const [backup, setBackup] = useState<BackupFilePayload | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [status, setStatus] = useState<NoticeMessage | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = async (file: File | undefined) => {
    setPreview(null);
    setStatus(null);
    setBackup(null);
    if (!file) return;
    if (file.size > IMPORT_MAX_MB * 1024 * 1024) {
      setStatus({ error: true, text: t('importTooLarge', { size: Math.ceil(file.size / 1048576), max: IMPORT_MAX_MB }) });
      return;
    }
    setBusy(true);
    try {
      const payload = await backupPayload(file);
      const result = await call('import.preview', payload);
      setPreview(result);
      if (result.ok) setBackup(payload);
    } catch (e) {
      setStatus({ error: true, text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    if (!backup) return;
    setBusy(true);
    try {
      const result = await call('import.apply', backup);
      setStatus(result.ok ? { error: false, text: t('importDone') } : { error: true, text: result.errors.join('\n') });
      setPreview(null);
      setBackup(null);
    } catch (e) {
      setStatus({ error: true, text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('importTitle')}</h2>
      <p className="cl-muted">{t('importIntro', { max: IMPORT_MAX_MB })}</p>
      <label htmlFor={`${id}-file`}>{t('importJson')}</label>{' '}
      <input id={`${id}-file`} type="file" accept="application/json,.json" aria-label={t('importJson')} disabled={busy} onChange={(e) => void choose(e.target.files?.[0])} />
      {preview && !preview.ok && (
        <div role="alert" className="cl-error">
          <p>{t('importInvalid', { count: preview.errors.length })}</p>
          <ul aria-label={t('importProblems')}>
            {preview.errors.slice(0, 200).map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {preview?.ok && preview.counts && (
        <div className="cl-preview">
          <table aria-label={t('importPreview')}>
            <thead>
              <tr>
                <th>{t('importTable')}</th>
                <th>{t('importAdded')}</th>
                <th>{t('importChanged')}</th>
                <th>{t('importSkipped')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(preview.counts).map(([table, c]) => (
                <tr key={table}>
                  <td>{table}</td>
                  <td>{c.added}</td>
                  <td>{c.changed}</td>
                  <td>{c.skipped}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="cl-row">
            <button type="button" disabled={busy} onClick={() => void apply()}>
              {t('applyImport')}
            </button>
            <button type="button" className="cl-secondary" disabled={busy} onClick={() => (setPreview(null), setBackup(null))}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      <Notice message={status} />
    </section>
  );
}
