/**
 * Export buttons (popup and options): build the file in this page from the store (read only; the code
 * is loaded on the first click), show progress, download it. Timing marks for the bench.
 */
import { Notice, type NoticeMessage } from './Notice';
import { useState } from 'react';
import type { Language } from '../../domain/taxonomy';
import type { Translate } from '../i18n';
import { downloadFile } from './download';

export type Scope = { kind: 'all' } | { kind: 'committee'; key: string };
type Format = 'csv' | 'json' | 'salesforce' | 'hubspot';

export function ExportButtons({ t, lang, scope, formats = ['csv', 'json'] }: { t: Translate; lang: Language; scope: Scope; formats?: Format[] }) {
  const [busy, setBusy] = useState<Format | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [message, setMessage] = useState<NoticeMessage | null>(null);
  const run = async (format: Format) => {
    setBusy(format);
    setMessage(null);
    setProgress(null);
    try {
      performance.mark('committee-lens:export-start');
      const [{ exportFile }, { readDb }] = await Promise.all([import('../../storage/transfer'), import('../../storage/reader')]);
      const file = await exportFile(readDb(), format, scope, lang, new Date(), (done, total) => setProgress({ done, total }));
      downloadFile(file.filename, file.content);
      performance.mark('committee-lens:export-end');
      const unmapped = file.report ? file.report.unmapped.length + (file.report.dropped?.length ?? 0) : 0;
      setMessage({ error: false, text: t('exportDone', { rows: file.rows, file: file.filename }) + (unmapped ? ' ' + t('exportUnmapped', { count: unmapped }) : '') });
    } catch (error) {
      setMessage({ error: true, text: t('exportFailed', { message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(null);
    }
  };
  const label: Record<Format, string> = { csv: t('exportCsv'), json: t('exportJson'), salesforce: t('exportSalesforce'), hubspot: t('exportHubspot') };
  return (
    <div className="cl-export">
      <div className="cl-row">
        {formats.map((f) => (
          <button key={f} type="button" className={f === 'csv' ? '' : 'cl-secondary'} disabled={busy !== null} onClick={() => void run(f)}>
            {label[f]}
          </button>
        ))}
      </div>
      {busy && progress && progress.total > 0 && (
        <progress aria-label={t('exportProgress')} max={progress.total} value={progress.done} />
      )}
      <Notice message={message} />
    </div>
  );
}
