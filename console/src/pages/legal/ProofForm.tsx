/**
 * The written proof of a force-majeure event (Art.9): an uploaded PDF, or the
 * text of a written statement (rendered to a PDF by the API), validated with
 * the API's schema (domain/legal).
 */
import { useState, type FormEvent } from 'react';
import type { CaseView } from '../../../../api/routes/cases.types';
import { ZProofRequest } from '../../../../domain/legal';
import { apiPost, newIdempotencyKey } from '../../api';
import { ErrorBox } from '../../components';
import { Field, firstIssue, FormActions, useAct, usePickedFile } from '../../forms';
import { useI18n } from '../../i18n';

export function ProofForm({ c, onDone }: { c: CaseView; onDone: (c: CaseView) => void }) {
  const { t, lang } = useI18n();
  const [mode, setMode] = useState<'pdf' | 'text'>('pdf');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [issue, setIssue] = useState<string | null>(null);
  const act = useAct();
  const { file, pick } = usePickedFile(act.setError, () => setIssue(null));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fileTitle = title.trim() || (file ? file.name.replace(/\.pdf$/i, '') : '');
    const document = mode === 'pdf' ? { ...(fileTitle ? { title: fileTitle } : {}), pdfBase64: file?.base64 ?? '' } : { ...(title.trim() ? { title } : {}), text };
    const parsed = ZProofRequest.safeParse({ document, ...(note.trim() ? { note } : {}) });
    if (!parsed.success) {
      setIssue(mode === 'pdf' && !file ? t('fm.choosePdf') : firstIssue(parsed.error, lang));
      return;
    }
    setIssue(null);
    await act.run(async () => onDone(await apiPost<CaseView>(`/api/force-majeure/${encodeURIComponent(c.id)}/proof`, parsed.data, { idempotencyKey: newIdempotencyKey() })));
  };

  return (
    <form className="form-grid act-form" onSubmit={submit} noValidate data-testid="proof-form">
      <div className="segmented wide" role="group" aria-label={t('legal.proofText')}>
        {(['pdf', 'text'] as const).map((m) => (
          <label key={m} className="radio">
            <input type="radio" name={`proof-mode-${c.id}`} checked={mode === m} onChange={() => setMode(m)} data-testid={`proof-mode-${m}`} />
            <span>{t(m === 'pdf' ? 'fm.proofPdf' : 'fm.proofText')}</span>
          </label>
        ))}
      </div>
      {mode === 'pdf' ? (
        <Field label={t('fm.proofFile')}>
          <input type="file" accept="application/pdf,.pdf" onChange={(e) => void pick(e)} data-testid="proof-file" />
        </Field>
      ) : (
        <Field label={t('legal.proofText')} wide>
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} data-testid="proof-text" />
        </Field>
      )}
      <Field label={t('fm.proofTitle')}>
        <input value={title} placeholder={file?.name.replace(/\.pdf$/i, '') ?? ''} onChange={(e) => setTitle(e.target.value)} />
      </Field>
      <Field label={t('legal.note')} wide>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      {issue && <span className="field-error wide">{issue}</span>}
      <ErrorBox error={act.error} />
      <FormActions submit={t('legal.proof')} testId="proof-submit" disabled={act.busy} />
    </form>
  );
}
