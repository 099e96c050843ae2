/**
 * The message composer (customer operator): the contract's own rules run in
 * the browser as you type, with the same pure code the dispatcher uses
 * (domain/sms): the bound signature, forbidden symbols and categories
 * highlighted in place, the unsubscribe suffix, part count and quota cost,
 * and the time the message will actually leave given the sending window.
 * Recipients are pasted or read from a CSV file. A message can also be sent
 * from an approved template, its variables filled in and checked as you type
 * (domain/sms/templates.ts): free text goes out only where the contract's
 * terms allow it for the category (by default notifications, not marketing).
 */
import { useMemo, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { ContractDetailView } from '../../../../api/routes/contracts.types';
import type { QuotaView } from '../../../../api/routes/invoices.types';
import type { SubmissionView } from '../../../../api/routes/sms.types';
import type { SmsTemplateList } from '../../../../api/routes/sms-templates.types';
import { fillTemplate, freeTextAllowed, templateTermsOf } from '../../../../domain/sms/templates';
import { lintMessage } from '../../../../domain/sms/lint';
import { normalizeRecipient } from '../../../../domain/sms/phone';
import { formatShanghai, nextSendingInstant, type SmsCategory } from '../../../../domain/sms/windows';
import { apiGet, apiPost, newIdempotencyKey } from '../../api';
import { useAuth } from '../../auth';
import { useNow } from '../../clock';
import { ErrorBox, Loading, Notice, Section, useLoad } from '../../components';
import { ContractSelect, useContractSearch } from '../../contract-search';
import { features } from '../../features';
import { useI18n } from '../../i18n';
import { LintEditor, MARK_OF } from './LintEditor';
import { parseCsv, parsePasted, type RecipientLine } from './recipients';
import { SendResults } from './SendResults';

const CATEGORIES: SmsCategory[] = ['notification', 'marketing', 'alert'];

export function ComposePage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  // the newest contract in service until another is searched for and chosen
  const contracts = useContractSearch({ pickFirst: true });
  const chosenId = contracts.chosen?.id ?? '';
  const detail = useLoad(
    (signal) => (chosenId ? apiGet<ContractDetailView>(`/api/contracts/${chosenId}`, { signal }) : Promise.resolve(null)),
    [chosenId],
  );
  const quota = useLoad((signal) => (chosenId && features.quota(user.role) ? apiGet<QuotaView>(`/api/contracts/${chosenId}/quota`, { signal }) : Promise.resolve(null)), [chosenId]);

  const templates = useLoad(
    (signal) => (chosenId && features.sendFromTemplate(user.role) ? apiGet<SmsTemplateList>(`/api/contracts/${chosenId}/sms-templates?status=approved`, { signal }) : Promise.resolve(null)),
    [chosenId],
  );
  const [mode, setMode] = useState<'free' | 'template'>('free');
  const [templateId, setTemplateId] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
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
  const template = mode === 'template' ? (templates.data?.items.find((x) => x.id === templateId) ?? templates.data?.items[0] ?? null) : null;
  const filled = useMemo(
    () =>
      template && terms
        ? fillTemplate({ content: template.content, category: template.category, signature: terms.sms.signature, urlVariables: template.urlVariables, values: Object.fromEntries(template.variables.map((v) => [v, values[v] ?? ''])) })
        : null,
    [template, terms, values],
  );
  const freeLint = useMemo(() => (terms ? lintMessage({ content, category, signature: terms.sms.signature, appendUnsubscribe }) : null), [content, category, terms, appendUnsubscribe]);
  const lint = mode === 'template' ? (filled?.lint ?? null) : freeLint;
  const templateOk = mode !== 'template' || (filled?.ok ?? false);
  const freeTextRefused = mode === 'free' && terms !== null && !freeTextAllowed(templateTermsOf(terms.sms), category);

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

  const sending = terms ? nextSendingInstant({ now: new Date(now), category: template?.category ?? category, sms: terms.sms }) : null;
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
    if (!lint?.ok || !templateOk || recipients.valid.length === 0 || !detail.data) return;
    const to = recipients.valid.map((r) => ({ number: r.e164, member: r.member }));
    const body =
      mode === 'template' && template
        ? { templateId: template.id, variables: Object.fromEntries(template.variables.map((v) => [v, values[v] ?? ''])), recipients: to }
        : { category, content, recipients: to, ...(category === 'marketing' ? { appendUnsubscribe } : {}) };
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

  if (contracts.none) return <p className="card muted">{t('compose.noContract')}</p>;
  if (!contracts.matches.data) return contracts.matches.error ? <ErrorBox error={contracts.matches.error} onRetry={contracts.matches.reload} /> : <Loading />;

  return (
    <form className="page" onSubmit={submit} data-testid="composer">
      <div className="page-head">
        <h1>{t('compose.title')}</h1>
      </div>
      {!canSend && <Notice kind="warn">{t('compose.noSendEndpoint')}</Notice>}
      <div className="compose-grid">
        <div className="compose-main">
          <div className="card form-grid">
            <ContractSelect search={contracts} label={t('compose.contract')} testId="compose-contract" wide />
            {features.sendFromTemplate(user.role) && (
              <fieldset className="field wide">
                <legend>{t('compose.mode')}</legend>
                <div className="segmented">
                  {(['free', 'template'] as const).map((m) => (
                    <label key={m} className={`radio pill ${mode === m ? 'active' : ''}`} data-testid={`compose-mode-${m}`}>
                      <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
                      <span>{t(`compose.mode.${m}`)}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            )}
            {mode === 'template' && (
              <div className="field wide" data-testid="compose-template-box">
                {templates.data && templates.data.items.length === 0 ? (
                  <p className="muted">{t('compose.noTemplates')}</p>
                ) : (
                  <>
                    <label className="field wide">
                      <span>{t('compose.template')}</span>
                      <select
                        value={template?.id ?? ''}
                        onChange={(e) => {
                          setTemplateId(e.target.value);
                          setValues({});
                        }}
                        data-testid="compose-template"
                      >
                        {(templates.data?.items ?? []).map((x) => (
                          <option key={x.id} value={x.id}>
                            {x.name} · {t(`tpl.category.${x.category}`)}
                          </option>
                        ))}
                      </select>
                    </label>
                    {template && <p className="preview-text small">{template.content}</p>}
                    {template?.variables.map((v) => (
                      <label key={v} className="field">
                        <span>{'${' + v + '}'}</span>
                        <input value={values[v] ?? ''} onChange={(e) => setValues({ ...values, [v]: e.target.value })} maxLength={200} data-testid={`compose-var-${v}`} />
                      </label>
                    ))}
                    {filled && !filled.ok && (
                      <ul className="issues" data-testid="template-fill-issues">
                        {filled.issues
                          .filter((issue) => issue.code !== 'VARIABLE_EMPTY')
                          .map((issue, i) => (
                            <li key={`${issue.code}-${i}`} className="issue" data-code={issue.code}>
                              {lang === 'zh' ? issue.message : issue.messageEn}
                            </li>
                          ))}
                      </ul>
                    )}
                  </>
                )}
              </div>
            )}
            {mode === 'free' && (
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
            )}
            {freeTextRefused && <Notice kind="warn">{t('compose.freeTextRefused')}</Notice>}
            {mode === 'free' && (
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
            )}
            {mode === 'free' && category === 'marketing' && (
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
          {mode === 'template' && filled?.ok && (
            <Section title={t('compose.filled')} id="filled">
              <p className="preview-text" data-testid="filled-content">
                {filled.text}
              </p>
            </Section>
          )}
          {lint && lint.appendedUnsubscribe && (
            <Section title={t('compose.preview')} id="preview">
              <p className="preview-text" data-testid="final-content">
                {lint.content}
              </p>
            </Section>
          )}
          {canSend && (
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={busy || !lint?.ok || !templateOk || freeTextRefused || recipients.valid.length === 0} title={!lint?.ok ? t('compose.sendDisabled') : undefined} data-testid="send">
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
