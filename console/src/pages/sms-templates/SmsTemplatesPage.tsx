/**
 * The customer's signatures and templates (the appendix: applied for, then
 * reviewed by Party B before use), like the template pages of the large cloud
 * SMS consoles: apply for the bound signature with its PDF, apply for a
 * template with the message rules running as you type (domain/sms/templates.ts,
 * the same code the API runs), and see each application's status, due time
 * and the reason of a rejection.
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { SmsSignatureList, SmsSignatureView, SmsTemplateList, SmsTemplateView } from '../../../../api/routes/sms-templates.types';
import { lintTemplate, TEMPLATE_CATEGORIES, type TemplateCategory } from '../../../../domain/sms/templates';
import { apiGet, apiPost } from '../../api';
import { DocumentLink, ReviewStatus } from './parts';
import { ErrorBox, Loading, Notice, Section, useLoad } from '../../components';
import { ContractSelect, useContractSearch } from '../../contract-search';
import { formatDateTime, formatDue } from '../../format';
import { Field, useAct, usePickedFile } from '../../forms';
import { useI18n } from '../../i18n';

export function SmsTemplatesPage() {
  const { t } = useI18n();
  // the newest contract in service until another is searched for and chosen
  const contracts = useContractSearch({ pickFirst: true });
  const chosen = contracts.chosen?.id ?? '';
  const signatures = useLoad((signal) => (chosen ? apiGet<SmsSignatureList>(`/api/contracts/${chosen}/sms-signatures`, { signal }) : Promise.resolve(null)), [chosen]);
  const templates = useLoad((signal) => (chosen ? apiGet<SmsTemplateList>(`/api/contracts/${chosen}/sms-templates`, { signal }) : Promise.resolve(null)), [chosen]);

  if (!contracts.matches.data) return contracts.matches.error ? <ErrorBox error={contracts.matches.error} onRetry={contracts.matches.reload} /> : <Loading />;
  return (
    <div className="page" data-testid="sms-templates-page">
      <div className="page-head">
        <h1>{t('tpl.title')}</h1>
      </div>
      <p className="muted">{t('tpl.intro')}</p>
      <div className="card form-grid">
        <ContractSelect search={contracts} label={t('tpl.contract')} testId="tpl-contract" wide />
        {templates.data && (
          <p className="small wide" data-testid="free-text-policy">
            {t('tpl.freeText', {
              n: templates.data.freeText.notification ? t('tpl.allowed') : t('tpl.templatesOnly'),
              m: templates.data.freeText.marketing ? t('tpl.allowed') : t('tpl.templatesOnly'),
            })}
          </p>
        )}
      </div>
      {chosen && signatures.data && <SignatureSection contractId={chosen} list={signatures.data} onApplied={signatures.reload} />}
      {chosen && templates.data && signatures.data && (
        <TemplateSection contractId={chosen} signature={signatures.data.boundSignature} list={templates.data.items} onApplied={templates.reload} />
      )}
      <ErrorBox error={signatures.error ?? templates.error} />
    </div>
  );
}

function SignatureSection({ contractId, list, onApplied }: { contractId: string; list: SmsSignatureList; onApplied: () => void }) {
  const { t, lang } = useI18n();
  const act = useAct();
  const { file, pick } = usePickedFile(act.setError);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    void act.run(async () => {
      await apiPost<SmsSignatureView>(`/api/contracts/${contractId}/sms-signatures`, { text: list.boundSignature, documentBase64: file.base64, documentTitle: file.name.slice(0, 100) });
      onApplied();
    });
  };
  return (
    <Section title={t('tpl.signatures')} id="signatures">
      <form className="form-grid" onSubmit={submit} data-testid="signature-form">
        <Field label={t('tpl.signatureText')}>
          <input value={list.boundSignature} readOnly data-testid="signature-text" />
        </Field>
        <Field label={t('tpl.signatureDoc')}>
          <input type="file" accept="application/pdf,.pdf" onChange={(e) => void pick(e)} data-testid="signature-file" />
        </Field>
        <div className="form-actions wide">
          <button type="submit" className="btn btn-primary" disabled={!file || act.busy} data-testid="signature-submit">
            {t('tpl.applySignature')}
          </button>
        </div>
        <ErrorBox error={act.error} />
      </form>
      {list.items.length === 0 ? (
        <p className="muted">{t('tpl.noSignatures')}</p>
      ) : (
        <table className="table" data-testid="signature-list">
          <thead>
            <tr>
              <th>{t('tpl.signatureText')}</th>
              <th>{t('tpl.status')}</th>
              <th>{t('tpl.appliedAt')}</th>
              <th>{t('tpl.due')}</th>
              <th>{t('tpl.reason')}</th>
              <th>{t('tpl.document')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((s) => (
              <tr key={s.id} data-testid="signature-row" data-id={s.id}>
                <td>{s.text}</td>
                <td>
                  <ReviewStatus row={s} />
                </td>
                <td>{formatDateTime(s.appliedAt, lang)}</td>
                <td>{formatDue(s.reviewDueAt, lang)}</td>
                <td>{s.reason ?? '—'}</td>
                <td>
                  <DocumentLink path={`/api/contracts/${contractId}/documents/${encodeURIComponent(s.documentId)}`} name={`${s.id}.pdf`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function TemplateSection({ contractId, signature, list, onApplied }: { contractId: string; signature: string; list: SmsTemplateView[]; onApplied: () => void }) {
  const { t, tx, lang } = useI18n();
  const [name, setName] = useState('');
  const [category, setCategory] = useState<TemplateCategory>('notification');
  const [content, setContent] = useState('');
  const [urlText, setUrlText] = useState('');
  const [remark, setRemark] = useState('');
  const act = useAct();
  const urlVariables = useMemo(() => urlText.split(/[,，\s]+/).filter(Boolean), [urlText]);
  const lint = useMemo(() => (content.trim() ? lintTemplate({ content, category, signature, urlVariables }) : null), [content, category, signature, urlVariables]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!lint?.ok || !name.trim()) return;
    void act.run(async () => {
      await apiPost<SmsTemplateView>(`/api/contracts/${contractId}/sms-templates`, {
        name: name.trim(),
        category,
        content,
        ...(urlVariables.length > 0 ? { urlVariables } : {}),
        ...(remark.trim() ? { remark: remark.trim() } : {}),
      });
      setName('');
      setContent('');
      setUrlText('');
      setRemark('');
      onApplied();
    });
  };
  return (
    <Section title={t('tpl.templates')} id="templates">
      <form className="form-grid" onSubmit={submit} data-testid="template-form">
        <Field label={t('tpl.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={30} data-testid="template-name" />
        </Field>
        <Field label={t('tpl.category')}>
          <select value={category} onChange={(e) => setCategory(e.target.value as TemplateCategory)} data-testid="template-category">
            {TEMPLATE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {tx(`tpl.category.${c}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('tpl.content')} wide>
          <textarea rows={3} value={content} onChange={(e) => setContent(e.target.value)} maxLength={500} data-testid="template-content" />
          <span className="muted small">{t('tpl.contentHint')}</span>
        </Field>
        <Field label={t('tpl.urlVariables')}>
          <input value={urlText} onChange={(e) => setUrlText(e.target.value)} data-testid="template-url-variables" />
        </Field>
        <Field label={t('tpl.remark')}>
          <input value={remark} onChange={(e) => setRemark(e.target.value)} maxLength={200} data-testid="template-remark" />
        </Field>
        {lint && (
          <div className="wide" data-testid="template-lint">
            {lint.ok ? (
              <p className="ok" data-testid="template-lint-ok">
                ✓ {t('tpl.lintOk')} · {t('tpl.variables')}: {lint.variables.join(', ') || '—'}
              </p>
            ) : (
              <ul className="issues">
                {lint.issues.map((issue, i) => (
                  <li key={`${issue.code}-${i}`} className="issue" data-code={issue.code}>
                    {lang === 'zh' ? issue.message : issue.messageEn}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="form-actions wide">
          <button type="submit" className="btn btn-primary" disabled={!lint?.ok || !name.trim() || act.busy} data-testid="template-submit">
            {t('tpl.applyTemplate')}
          </button>
        </div>
        <ErrorBox error={act.error} />
      </form>
      {list.length === 0 ? (
        <p className="muted">{t('tpl.noTemplates')}</p>
      ) : (
        <table className="table" data-testid="template-list">
          <thead>
            <tr>
              <th>{t('tpl.name')}</th>
              <th>{t('tpl.category')}</th>
              <th>{t('tpl.content')}</th>
              <th>{t('tpl.status')}</th>
              <th>{t('tpl.due')}</th>
              <th>{t('tpl.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((row) => (
              <tr key={row.id} data-testid="template-row" data-id={row.id} data-name={row.name}>
                <td>{row.name}</td>
                <td>{tx(`tpl.category.${row.category}`)}</td>
                <td className="preview-text">{row.content}</td>
                <td>
                  <ReviewStatus row={row} />
                </td>
                <td>{formatDue(row.reviewDueAt, lang)}</td>
                <td>{row.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.some((row) => row.status === 'applied') && <Notice>{t('tpl.submitted')}</Notice>}
    </Section>
  );
}
