/** Pieces the signature and template pages share: an application's status, and its supporting PDF. */
import { useState } from 'react';
import { apiBlob } from '../../api';
import { ErrorBox } from '../../components';
import { saveFile } from '../../download';
import { useI18n } from '../../i18n';

export function ReviewStatus({ row }: { row: { status: string; overdue: boolean } }) {
  const { tx, t } = useI18n();
  return (
    <span>
      <span className={`badge s-${row.status === 'applied' ? 'pending' : row.status === 'approved' ? 'active' : 'rejected'}`} data-testid="review-status" data-status={row.status}>
        {tx(`tpl.status.${row.status}`)}
      </span>
      {row.overdue && <span className="badge s-overdue"> {t('tpl.overdue')}</span>}
    </span>
  );
}

/** The supporting PDF, fetched with the session's token and saved. */
export function DocumentLink({ path, name }: { path: string; name: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button type="button" className="link" onClick={() => void apiBlob(path).then((blob) => saveFile(blob, 'application/pdf', name), setError)} data-testid="document-link">
        {t('tpl.document')} (PDF)
      </button>
      <ErrorBox error={error} />
    </>
  );
}
