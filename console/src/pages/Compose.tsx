/**
 * The message composer (customer operator): the contract's own rules run in
 * the browser as you type, with the same pure code the dispatcher uses
 * (domain/sms): the bound signature, forbidden symbols and categories
 * highlighted in place, the unsubscribe suffix, part count and quota cost,
 * and the time the message will actually leave given the sending window.
 * Recipients are pasted or read from a CSV file.
 */
import { useEffect, useMemo, useRef, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { lintMessage, type LintIssue, type LintIssueCode } from '../../../domain/sms/lint';
import { normalizeRecipient } from '../../../domain/sms/phone';
import { formatShanghai, nextSendingInstant, type SmsCategory } from '../../../domain/sms/windows';
import type { ContractTerms } from '../../../domain/terms';
import { apiGet, apiPost, newIdempotencyKey } from '../api';
import { features, useAuth } from '../App';
import { useNow } from '../clock';
import { ErrorBox, Loading, Notice, Section, StatusBadge, useLoad } from '../components';
import { useI18n } from '../i18n';
import type { ContractListItem } from './Contracts';

const CATEGORIES: SmsCategory[] = ['notification', 'marketing', 'alert'];

type MarkClass = 'sym' | 'cat' | 'sig' | 'inv' | 'uns';
const MARK_OF: Partial<Record<LintIssueCode, MarkClass>> = {
  UNSUPPORTED_SYMBOL: 'sym',
  FORBIDDEN_CATEGORY: 'cat',
  UNINVITED_INVITATION: 'inv',
  SIGNATURE_MISMATCH: 'sig',
  SIGNATURE_POSITION: 'sig',
  SIGNATURE_REPEATED: 'sig',
  UNSUBSCRIBE_INVALID_REPLY: 'uns',
  UNSUBSCRIBE_NOT_AT_END: 'uns',
};

/** The text cut at every issue boundary, each piece with the issues covering it. */
function highlight(text: string, issues: LintIssue[]): ReactNode[] {
  const ranged = issues.filter((i) => i.start !== undefined && i.end !== undefined && i.end > i.start && MARK_OF[i.code]);
  const cuts = new Set<number>([0, text.length]);
  for (const i of ranged) {
    cuts.add(Math.min(i.start!, text.length));
    cuts.add(Math.min(i.end!, text.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: ReactNode[] = [];
  for (let k = 0; k < points.length - 1; k++) {
    const from = points[k]!;
    const to = points[k + 1]!;
    const piece = text.slice(from, to);
    const covering = ranged.filter((i) => i.start! <= from && i.end! >= to);
    if (covering.length === 0) out.push(piece);
    else
      out.push(
        <mark key={from} className={`m-${MARK_OF[covering[0]!.code]}`} data-code={covering[0]!.code} title={covering.map((i) => i.message).join('\n')}>
          {piece}
        </mark>,
      );
  }
  return out;
}

/** A textarea with the lint findings highlighted behind the text, in place (the two layers share font, padding and wrapping). */
function LintEditor({ value, onChange, issues, placeholder, label }: { value: string; onChange: (v: string) => void; issues: LintIssue[]; placeholder: string; label: string }) {
  const backdrop = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const sync = () => {
    if (backdrop.current && area.current) {
      backdrop.current.scrollTop = area.current.scrollTop;
      backdrop.current.scrollLeft = area.current.scrollLeft;
    }
  };
  useEffect(sync, [value]);
  return (
    <div className="lint-editor">
      <div className="lint-backdrop" ref={backdrop} aria-hidden="true" data-testid="lint-highlights">
        {highlight(value, issues)}
        {value.endsWith('\n') ? ' ' : ''}
      </div>
      <textarea
        ref={area}
        className="lint-input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onScroll={sync}
        placeholder={placeholder}
        aria-label={label}
        rows={6}
        spellCheck={false}
        data-testid="message-input"
      />
    </div>
  );
}

type RecipientLine = { raw: string; member: boolean };

const MEMBER_WORDS = /^(1|y|yes|true|member|会员|是)$/i;

/** Pasted numbers: one per line, or separated by commas/semicolons (spaces stay: "+86 138 0000 0001"). */
function parsePasted(text: string): RecipientLine[] {
  return text
    .split(/[\n\r,;，；、]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((raw) => ({ raw, member: true }));
}

/** CSV: first column the number, optional second column a member flag; a header row is skipped. */
function parseCsv(text: string): RecipientLine[] {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const lines: RecipientLine[] = [];
  for (const row of rows) {
    const cells = row.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, ''));
    const first = cells[0] ?? '';
    if (!/\d/.test(first)) continue; // header
    lines.push({ raw: first, member: cells[1] === undefined || cells[1] === '' ? true : MEMBER_WORDS.test(cells[1]) });
  }
  return lines;
}

type Quota = { contractYear: number | null; totalSms: number; usedSms?: number; remainingSms?: number };

type RecipientResult = { index: number; input?: string; recipient?: string; status: string; reason?: string; message?: string; messageEn?: string; sendAt?: string };
type SendResult = {
  submissionId: string;
  content: string;
  counts: Record<'accepted' | 'held' | 'rejected' | 'suppressed' | 'duplicate' | 'total', number>;
  quota: { contractYear: number; totalParts: number; usedParts: number; remainingParts: number };
  window: { held: boolean; sendAt: string | null; reason: string | null; reasonZh: string | null };
  results: RecipientResult[];
};

export function ComposePage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const contracts = useLoad((signal) => apiGet<{ items: ContractListItem[] }>('/api/contracts?status=active&limit=200', { signal }), []);
  const [contractId, setContractId] = useState<string>('');
  const chosenId = contractId || contracts.data?.items[0]?.id || '';
  const detail = useLoad(
    (signal) => (chosenId ? apiGet<{ id: string; number: string; status: string; terms: ContractTerms }>(`/api/contracts/${chosenId}`, { signal }) : Promise.resolve(null)),
    [chosenId],
  );
  const quota = useLoad((signal) => (chosenId && features.quota(user.role) ? apiGet<Quota>(`/api/contracts/${chosenId}/quota`, { signal }) : Promise.resolve(null)), [chosenId]);

  const [category, setCategory] = useState<SmsCategory>('notification');
  const [content, setContent] = useState('');
  const [appendUnsubscribe, setAppendUnsubscribe] = useState(true);
  const [pasted, setPasted] = useState('');
  const [csv, setCsv] = useState<{ name: string; lines: RecipientLine[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const [results, setResults] = useState<SendResult | null>(null);
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
      const result = await apiPost<SendResult>(`/api/contracts/${detail.data.id}/messages`, { ...body, idempotencyKey: key }, { idempotencyKey: key });
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

  const resultRows = results?.results ?? [];
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

      {results && (
        <Section title={t('compose.results')} id="results">
          <Notice kind={results.counts.rejected > 0 ? 'warn' : 'ok'}>
            {t('compose.sent', { accepted: results.counts.accepted, held: results.counts.held, rejected: results.counts.rejected, suppressed: results.counts.suppressed })}
            <span className="block small">{t('compose.quotaLeft', { used: results.quota.usedParts.toLocaleString(), total: results.quota.totalParts.toLocaleString(), left: results.quota.remainingParts.toLocaleString() })}</span>
          </Notice>
          <div className="table-wrap">
            <table className="table" data-testid="send-results">
              <thead>
                <tr>
                  <th>{t('compose.recipient')}</th>
                  <th>{t('compose.result')}</th>
                </tr>
              </thead>
              <tbody>
                {resultRows.map((r) => (
                  <tr key={r.index} data-status={r.status}>
                    <td className="mono">{r.recipient ?? r.input}</td>
                    <td>
                      <StatusBadge status={r.status} kind="msgStatus" />{' '}
                      <span className="muted small">
                        {r.sendAt ? formatShanghai(new Date(r.sendAt)) : ''} {lang === 'zh' ? (r.message ?? '') : (r.messageEn ?? r.message ?? '')}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      )}
    </form>
  );
}
