/** The contract's PDFs: previewed in place where the browser shows PDFs, and downloaded. */
import { useEffect, useState } from 'react';
import type { ContractDocumentView } from '../../../../../api/routes/contracts.types';
import { apiBlob } from '../../../api';
import { ErrorBox } from '../../../components';
import { saveFile } from '../../../download';
import { formatDateTime } from '../../../format';
import { useI18n } from '../../../i18n';

export function Documents({ documents }: { documents: ContractDocumentView[] }) {
  const { t, lang } = useI18n();
  const [preview, setPreview] = useState<{ id: string; url: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview.url);
  }, [preview]);

  const open = async (doc: ContractDocumentView, download: boolean) => {
    setError(null);
    try {
      const blob = await apiBlob(doc.url);
      if (download) saveFile(blob, 'application/pdf', `${doc.title || doc.kind}.pdf`);
      else setPreview({ id: doc.id, url: URL.createObjectURL(new Blob([blob], { type: 'application/pdf' })) });
    } catch (e) {
      setError(e);
    }
  };

  if (documents.length === 0) return <p className="muted">{t('detail.noDocuments')}</p>;
  const viewer = typeof navigator !== 'undefined' && navigator.pdfViewerEnabled;
  return (
    <>
      <ul className="documents" data-testid="documents">
        {documents.map((doc) => (
          <li key={doc.id} data-kind={doc.kind}>
            <span className="doc-icon" aria-hidden="true">
              PDF
            </span>
            <span className="doc-title">
              {doc.title || doc.kind}
              <span className="muted small block">
                {formatDateTime(doc.createdAt, lang)} · {(doc.sizeBytes / 1024).toFixed(0)} KB
              </span>
            </span>
            {viewer && (
              <button type="button" className="btn btn-small" onClick={() => void open(doc, false)}>
                {t('detail.preview')}
              </button>
            )}
            <button type="button" className="btn btn-small" onClick={() => void open(doc, true)}>
              {t('detail.download')}
            </button>
          </li>
        ))}
      </ul>
      <ErrorBox error={error} />
      {preview && (
        <div className="preview">
          <button type="button" className="btn btn-small" onClick={() => setPreview(null)}>
            {t('detail.closePreview')}
          </button>
          <iframe title={t('detail.preview')} src={preview.url} className="pdf-frame" />
        </div>
      )}
    </>
  );
}
