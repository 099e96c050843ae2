/**
 * The message composer (customer operator): the contract's own rules run in
 * the browser as you type, with the same pure code the dispatcher uses
 * (domain/sms): the bound signature, forbidden symbols and categories
 * highlighted in place, the unsubscribe suffix, part count and quota cost,
 * and the time the message will actually leave given the sending window.
 * Recipients are pasted or read from a CSV file.
 */
import { useMemo, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { ContractDetailView, ContractListView } from '../../../../api/routes/contracts.types';
import type { QuotaView } from '../../../../api/routes/invoices.types';
import type { SubmissionView } from '../../../../api/routes/sms.types';
import { lintMessage } from '../../../../domain/sms/lint';
import { normalizeRecipient } from '../../../../domain/sms/phone';
import { formatShanghai, nextSendingInstant, type SmsCategory } from '../../../../domain/sms/windows';
import { apiGet, apiPost, newIdempotencyKey } from '../../api';
import { useAuth } from '../../auth';
import { useNow } from '../../clock';
import { ErrorBox, Loading, Notice, Section, useLoad } from '../../components';
import { features } from '../../features';
import { useI18n } from '../../i18n';
import { LintEditor, MARK_OF } from './LintEditor';
import { parseCsv, parsePasted, type RecipientLine } from './recipients';
import { SendResults } from './SendResults';

const CATEGORIES: SmsCategory[] = ['notification', 'marketing', 'alert'];

export function ComposePage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const contracts = useLoad((signal) => apiGet<ContractListView>('/api/contracts?status=active&limit=200', { signal }), []);
  const [contractId, setContractId] = useState<string>('');
  const chosenId = contractId || contracts.data?.items[0]?.id || '';
  const detail = useLoad(
    (signal) => (chosenId ? apiGet<ContractDetailView>(`/api/contracts/${chosenId}`, { signal }) : Promise.resolve(null)),
    [chosenId],
  );
  const quota = useLoad((signal) => (chosenId && features.quota(user.role) ? apiGet<QuotaView>(`/api/contracts/${chosenId}/quota`, { signal }) : Promise.resolve(null)), [chosenId]);

  const [category, setCategory] = useState<SmsCategory>('notification');
  const [content, setContent] = useState('');
  const [appendUnsubscribe, setAppendUnsubscribe] = useState(true);
  const [pasted, setPasted] = useState('');
  const [csv, setCsv] = useState<{ name: string; lines: RecipientLine[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const [results, setResults] = useState<SubmissionView | null>(null);
  const now = useNow();

  const terms = detail.data?.terms ?? null;
  const lint = useMemo(() => (terms ? lintMessage({ content, category, signature: terms.sms.signature, appendUnsubscribe }) : null), [content, category, terms, appendUnsubscribe]);

  const recipients = useMemo(() => {
    const lines = [...parsePasted(pasted), ...(csv?.lines ?? [])];
    const valid = new Map<string, { e164: string; member: boolean }>();
    const invalid: { raw: string; message: string }[] = [];
    let duplicates = 0;
    for (const line of lines) {
      const n = normalizeRecipient(line.raw);
      if (!n.ok) invalid.push({ raw: line.raw, message: lang === 'zh' ? n.message : n.messageEn });
      else if (valid.has(n.e164)) duplicates++;
      else valid.set(n.e164, { e164: n.e164, member: line.member });
    }
    return { valid: [...valid.values()], invalid, duplicates };
  }, [pasted, csv, lang]);

  const sending = terms ? nextSendingInstant({ now: new Date(now), category, sms: terms.sms }) : null;
  const parts = lint?.segments.parts ?? 0;
  const cost = parts * recipients.valid.length;
  const canSend = features.sendMessages(user.role);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setCsv({ name: file.name, lines: parseCsv(await file.text()) });
  };

  // the same submission retried (a lost answer) keeps its key, so nothing is sent or debited twice
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!lint?.ok || recipients.valid.length === 0 || !detail.data) return;
    const body = {
      category,
      content,
      recipients: recipients.valid.map((r) => ({ number: r.e164, member: r.member })),
      ...(category === 'marketing' ? { appendUnsubscribe } : {}),
    };
    const serialized = JSON.stringify([detail.data.id, body]);
    if (!attempt.current || attempt.current.body !== serialized) attempt.current = { body: serialized, key: newIdempotencyKey() };
    const key = attempt.current.key;
    setBusy(true);
    setSendError(null);
    setResults(null);
    try {
      const result = await apiPost<SubmissionView>(`/api/contracts/${detail.data.id}/messages`, { ...body, idempotencyKey: key }, { idempotencyKey: key });
      setResults(result);
      attempt.current = null;
    } catch (e) {
      setSendError(e);
    } finally {
      setBusy(false);
    }
  };

  if (contracts.error) return <ErrorBox error={contracts.error} onRetry={contracts.reload} />;
  if (!contracts.data) return <Loading />;
  if (contracts.data.items.length === 0) return <p className="card muted">{t('compose.noContract')}</p>;

  return (
    <form className="page" onSubmit={submit} data-testid="composer">
      <div className="page-head">
        <h1>{t('compose.title')}</h1>
      </div>
      {!canSend && <Notice kind="warn">{t('compose.noSendEndpoint')}</Notice>}
      <div className="compose-grid">
        <div className="compose-main">
          <div className="card form-grid">
            <label className="field wide">
              <span>{t('compose.contract')}</span>
              <select value={chosenId} onChange={(e) => setContractId(e.target.value)} data-testid="compose-contract">
                {contracts.data.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.number} · {c.partyA}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="field wide">
              <legend>{t('compose.category')}</legend>
              <div className="segmented">
                {CATEGORIES.map((c) => (
                  <label key={c} className={`radio pill ${category === c ? 'active' : ''}`}>
                    <input type="radio" name="category" value={c} checked={category === c} onChange={() => setCategory(c)} />
                    <span>{t(`compose.category.${c}`)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="field wide">
              <label htmlFor="compose-content">
                {t('compose.content')}
                {terms && <span className="muted small"> · {terms.sms.signature}</span>}
              </label>
              {terms ? (
                <LintEditor value={content} onChange={setContent} issues={lint?.issues ?? []} placeholder={`${terms.sms.signature}${t('compose.placeholder').replace(/^【[^】]*】/, '')}`} label={t('compose.content')} />
              ) : (
                <Loading />
              )}
              {lint && (
                <div className="meter" data-testid="segments">
                  {t('compose.parts', { chars: lint.segments.characters, parts: lint.segments.parts, enc: lint.segments.encoding, per: lint.segments.perPart })}
                </div>
              )}
            </div>
            {category === 'marketing' && (
              <label className="check field wide">
                <input type="checkbox" checked={appendUnsubscribe} onChange={(e) => setAppendUnsubscribe(e.target.checked)} />
                <span>{t('compose.appendUnsubscribe')}</span>
              </label>
            )}
            <div className="field wide">
              <label htmlFor="compose-recipients">{t('compose.recipients')}</label>
              <textarea id="compose-recipients" rows={4} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder={'13800000001\n13800000002'} data-testid="recipients-input" />
              <span className="muted small">{t('compose.recipientsHint')}</span>
              <div className="file-row">
                <label className="btn btn-small file-btn">
                  {t('compose.csv')}
                  <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void onFile(e)} data-testid="recipients-csv" />
                </label>
                {csv && (
                  <span className="small">
                    {csv.name} ·{' '}
                    <button type="button" className="link" onClick={() => setCsv(null)}>
                      ✕
                    </button>
                  </span>
                )}
              </div>
              <div className="small" data-testid="recipient-summary">
                <span className="ok">{t('compose.valid', { n: recipients.valid.length })}</span>
                {recipients.duplicates > 0 && <span className="muted"> · {t('compose.duplicates', { n: recipients.duplicates })}</span>}
                {recipients.invalid.length > 0 && (
                  <span className="bad">
                    {' · '}
                    {t('compose.invalidNumbers', {
                      n: recipients.invalid.length,
                      list: recipients.invalid
                        .slice(0, 5)
                        .map((i) => `${i.raw}（${i.message}）`)
                        .join('；'),
                    })}
                  </span>
                )}
              </div>
            </div>
          </div>
        </div>

        <aside className="compose-side">
          <Section title={t('compose.lint')} id="lint">
            {lint && (
              <>
                {lint.ok ? (
                  <p className="ok" data-testid="lint-ok">
                    ✓ {t('compose.lintOk')}
                  </p>
                ) : (
                  <>
                    <p className="muted small">{t('compose.legend')}</p>
                    <ul className="issues" data-testid="lint-issues">
                      {lint.issues.map((issue, i) => (
                        <li key={`${issue.code}-${issue.start ?? i}-${i}`} className={`issue m-${MARK_OF[issue.code] ?? 'gen'}`} data-code={issue.code}>
                          {lang === 'zh' ? issue.message : issue.messageEn}
                          {issue.categoryLabel && <span className="badge">{lang === 'zh' ? issue.categoryLabel : issue.categoryLabelEn}</span>}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </>
            )}
          </Section>
          <Section title={t('compose.sendAt')} id="send-at">
            {sending && (
              <p data-testid="send-at" className={sending.held ? 'warn' : 'ok'}>
                <strong>{formatShanghai(sending.sendAt)}</strong>
                <span className="block small">{lang === 'zh' ? sending.reasonZh : sending.reason}</span>
              </p>
            )}
            <p className="small" data-testid="quota-cost">
              {t('compose.cost', { cost, parts, n: recipients.valid.length })}
              {quota.data?.contractYear ? <span className="block muted">{t('compose.quota', { total: quota.data.totalSms.toLocaleString() })}</span> : null}
            </p>
          </Section>
          {lint && lint.appendedUnsubscribe && (
            <Section title={t('compose.preview')} id="preview">
              <p className="preview-text" data-testid="final-content">
                {lint.content}
              </p>
            </Section>
          )}
          {canSend && (
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={busy || !lint?.ok || recipients.valid.length === 0} title={!lint?.ok ? t('compose.sendDisabled') : undefined} data-testid="send">
                {busy ? t('compose.sending') : t('compose.send')}
              </button>
            </div>
          )}
          <ErrorBox error={sendError} />
        </aside>
      </div>

      {results && <SendResults results={results} />}
    </form>
  );
}
