/**
 * Contract detail: parties and terms, signatures, open deadlines with live
 * countdowns, invoices and payment status, quota per contract year (chart),
 * documents (preview and download), SMS ledger, and the audit timeline.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ContractTerms } from '../../../domain/terms';
import { apiBlob, apiGet, apiPost, can, newIdempotencyKey } from '../api';
import { features, useAuth } from '../App';
import { Countdown, ErrorBox, Loading, Notice, ProvisionalBadge, RiskBanner, Section, StatusBadge, useLoad, type Matter } from '../components';
import { formatDate, formatDateTime, formatDue, formatYuan, parseYuan } from '../format';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { CasesSection, LifecycleSection, MessagesSection } from './ContractExtras';

export type Deadline = {
  kind: string;
  ref: string;
  dueAt: string;
  explanation: string;
  explanationEn: string;
  secondsLeft: number;
  /** counted over a year whose State Council notice is not out yet: may move when it is entered */
  provisional: boolean;
};
export type Invoice = {
  number: string;
  contractId: string;
  kind: string;
  periodLabel: string;
  amountFen: number;
  paidFen: number;
  outstandingFen: number;
  status: string;
  issuedAt: string;
  dueAt: string;
  dueExplanation: string;
  paidAt: string | null;
  secondsLeft: number | null;
};
type Signature = { party: 'A' | 'B'; signer: string; title: string; signedAt: string; recordedBy: string };
type DocumentMeta = { id: string; kind: string; title: string; sizeBytes: number; createdAt: string; url: string; sha256: string };
type AuditRow = { id: number; at: string; type: string; actorId: string; actorRole: string; data: Record<string, unknown> | null; after: unknown; before: unknown };

export type ContractDetail = {
  id: string;
  number: string;
  status: string;
  owner: { id: string; name: string };
  parties: { A: ContractTerms['partyA']; B: ContractTerms['partyB'] };
  terms: ContractTerms;
  effectiveAt: string | null;
  termEndsAt: string | null;
  /** open matters, worst first */
  matters?: Matter[];
  signatures: Signature[];
  deadlines: Deadline[];
  deadlinesSource: 'workflow' | 'read-model' | 'mixed';
  invoices: Invoice[];
  documents: DocumentMeta[];
  audit: AuditRow[];
  createdAt: string;
};

type Quota = {
  contractYear: number | null;
  packageSms: number;
  topUpSms: number;
  totalSms: number;
  usedSms?: number;
  startsAt?: string;
  endsAt?: string;
  years: { contractYear: number; packageSms: number; topUpSms: number; totalSms: number; usedSms?: number }[];
};

export function DeadlineList({ deadlines, fetchedAt }: { deadlines: Deadline[]; fetchedAt: number }) {
  const { t, tx, lang } = useI18n();
  if (deadlines.length === 0) return <p className="muted">{t('detail.noDeadlines')}</p>;
  return (
    <ul className="deadlines" data-testid="deadlines">
      {deadlines.map((d) => (
        <li key={`${d.kind}:${d.ref}`} className="deadline" data-kind={d.kind}>
          <div className="deadline-main">
            <strong>{tx(`deadline.${d.kind}`)}</strong>
            <span className="muted small">{d.ref}</span>
            {d.provisional && <ProvisionalBadge />}
            <Countdown secondsLeft={d.secondsLeft} fetchedAt={fetchedAt} label={tx(`deadline.${d.kind}`)} />
          </div>
          <div className="muted small">
            {formatDue(d.dueAt, lang)} · {lang === 'zh' ? d.explanation : d.explanationEn}
          </div>
        </li>
      ))}
    </ul>
  );
}

function PartyCard({ code, party, signature, canSign, contractId }: { code: 'A' | 'B'; party: ContractTerms['partyA']; signature?: Signature; canSign: boolean; contractId: string }) {
  const { t, lang } = useI18n();
  return (
    <div className="party" data-party={code}>
      <h3>
        {t(code === 'A' ? 'detail.partyA' : 'detail.partyB')} · {party.name}
      </h3>
      <dl className="kv">
        <dt>{t('f.address')}</dt>
        <dd>{party.address}</dd>
        <dt>{t('f.representative')}</dt>
        <dd>{party.representative}</dd>
        <dt>{t('f.contactName')}</dt>
        <dd>
          {party.contact.name} · <span className="mono">{party.contact.phone}</span>
        </dd>
        <dt>{t('detail.signatures')}</dt>
        <dd data-testid={`signature-${code}`}>
          {signature ? (
            <span className="ok">✓ {t('detail.signedBy', { signer: signature.signer, title: signature.title, at: formatDateTime(signature.signedAt, lang) })}</span>
          ) : canSign ? (
            <Link to={`/contracts/${contractId}/sign?party=${code}`} className="btn btn-small btn-primary" data-testid={`sign-${code}`}>
              {t('detail.signNow')}
            </Link>
          ) : (
            <span className="muted">{t('detail.notSigned')}</span>
          )}
        </dd>
      </dl>
    </div>
  );
}

function QuotaChart({ quota }: { quota: Quota }) {
  const { t } = useI18n();
  if (!quota.contractYear || quota.years.length === 0) return <p className="muted">{t('detail.quotaNone')}</p>;
  const max = Math.max(...quota.years.map((y) => y.totalSms), 1);
  const barH = 28;
  const gap = 14;
  const labelW = 84;
  const width = 560;
  const chartW = width - labelW - 90;
  const height = quota.years.length * (barH + gap) + 24;
  return (
    <figure className="quota" data-testid="quota-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t('detail.quota')} width="100%">
        {quota.years.map((y, i) => {
          const top = i * (barH + gap);
          const pkgW = (y.packageSms / max) * chartW;
          const topW = (y.topUpSms / max) * chartW;
          const usedW = y.usedSms !== undefined ? (Math.min(y.usedSms, y.totalSms) / max) * chartW : 0;
          return (
            <g key={y.contractYear} transform={`translate(0, ${top})`}>
              <text x={0} y={barH / 2 + 5} className="q-label">
                {t('detail.quotaYear', { n: y.contractYear })}
              </text>
              <rect x={labelW} y={0} width={pkgW} height={barH} className="q-package" rx={3} />
              {topW > 0 && <rect x={labelW + pkgW} y={0} width={topW} height={barH} className="q-topup" rx={3} />}
              {usedW > 0 && <rect x={labelW} y={barH / 2 - 4} width={usedW} height={8} className="q-used" rx={2} />}
              <text x={labelW + pkgW + topW + 8} y={barH / 2 + 5} className="q-value">
                {y.usedSms !== undefined ? `${y.usedSms.toLocaleString()} / ` : ''}
                {y.totalSms.toLocaleString()}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span className="key q-package" /> {t('detail.quotaPackage')} <span className="key q-topup" /> {t('detail.quotaTopUp')}
        {quota.years.some((y) => y.usedSms !== undefined) && (
          <>
            <span className="key q-used" /> {t('detail.quotaUsed')}
          </>
        )}
      </figcaption>
    </figure>
  );
}

function Documents({ documents }: { documents: DocumentMeta[] }) {
  const { t, lang } = useI18n();
  const [preview, setPreview] = useState<{ id: string; url: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview.url);
  }, [preview]);

  const open = async (doc: DocumentMeta, download: boolean) => {
    setError(null);
    try {
      const blob = await apiBlob(doc.url);
      const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
      if (download) {
        const a = document.createElement('a');
        a.href = url;
        a.download = `${doc.title || doc.kind}.pdf`;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      } else {
        setPreview({ id: doc.id, url });
      }
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

const SUMMARY_KEYS = ['party', 'signer', 'number', 'invoice', 'amountFen', 'reference', 'status', 'reason', 'clause', 'caseId', 'sms', 'termEndsAt', 'kind'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function summarize(row: AuditRow, tx: (key: string, fallback?: string) => string, lang: 'zh' | 'en'): string {
  const merged: Record<string, unknown> = { ...(row.after && typeof row.after === 'object' ? (row.after as Record<string, unknown>) : {}), ...(row.data ?? {}) };
  return SUMMARY_KEYS.filter((k) => merged[k] !== undefined && merged[k] !== null && typeof merged[k] !== 'object')
    .slice(0, 4)
    .map((k) => {
      const v = String(merged[k]);
      if (k === 'amountFen') return formatYuan(Number(merged[k]));
      if (k === 'status') return tx(`status.${v}`, tx(`invoiceStatus.${v}`, tx(`caseStatus.${v}`, v)));
      if (k === 'party') return tx(v === 'A' ? 'detail.partyA' : v === 'B' ? 'detail.partyB' : '', v);
      if (k === 'kind') return tx(`caseKind.${v}`, tx(`deadline.${v}`, v));
      if (ISO.test(v)) return formatDue(v, lang);
      return v;
    })
    .join(' · ');
}

function Timeline({ audit }: { audit: AuditRow[] }) {
  const { t, tx, lang } = useI18n();
  return (
    <ol className="timeline" data-testid="timeline">
      {[...audit].reverse().map((row) => (
        <li key={row.id} data-type={row.type}>
          <time dateTime={row.at}>{formatDateTime(row.at, lang)}</time>
          <div>
            <strong>{tx(`audit.${row.type}`, row.type)}</strong> <span className="muted small">{summarize(row, tx, lang)}</span>
            <div className="muted small">{t('audit.by', { actor: row.actorId, role: tx(`role.${row.actorRole}`, row.actorRole) })}</div>
          </div>
        </li>
      ))}
    </ol>
  );
}

function TopUpForm({ contractId, onDone }: { contractId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [quantity, setQuantity] = useState('1000');
  const [price, setPrice] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const priceFen = parseYuan(price);
    setError(null);
    setBusy(true);
    try {
      const result = await apiPost<{ invoiceNumber?: string; invoice?: { number: string } }>(
        `/api/contracts/${contractId}/top-ups`,
        { quantity: Number(quantity), priceFen: priceFen ?? Number.NaN },
        { idempotencyKey: newIdempotencyKey() },
      );
      setDone(result.invoiceNumber ?? result.invoice?.number ?? '');
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label className="field narrow">
        <span>{t('detail.topUpQty')}</span>
        <input inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
      </label>
      <label className="field narrow">
        <span>{t('detail.topUpPrice')}</span>
        <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} placeholder="100.00" />
      </label>
      <button type="submit" className="btn" disabled={busy}>
        {t('detail.topUpSubmit')}
      </button>
      {done !== null && <Notice kind="ok">{t('detail.topUpDone', { n: done })}</Notice>}
      <ErrorBox error={error} />
    </form>
  );
}

export function ContractDetailPage({ id }: { id: string }) {
  const { t, tx, lang } = useI18n();
  const { user } = useAuth();
  const detail = useLoad((signal) => apiGet<ContractDetail>(`/api/contracts/${id}`, { signal }), [id]);
  const quota = useLoad(
    async (signal) => {
      if (!features.quota(user.role)) return null;
      const q = await apiGet<Quota>(`/api/contracts/${id}/quota`, { signal });
      // parts used this contract year, from the reconciliation ledger (Asia/Shanghai days since the year began)
      if (q.contractYear && q.startsAt && can(user.role, 'get', '/api/contracts/:id/ledger')) {
        const from = new Date(Date.parse(q.startsAt) + 8 * 3_600_000).toISOString().slice(0, 10);
        const ledger = await apiGet<{ totals: { debitedParts: number } }>(`/api/contracts/${id}/ledger?from=${from}`, { signal }).catch(() => null);
        if (ledger) q.years = q.years.map((y) => (y.contractYear === q.contractYear ? { ...y, usedSms: ledger.totals.debitedParts } : y));
      }
      return q;
    },
    [id, detail.data?.status, detail.data?.invoices.filter((i) => i.status === 'paid').length],
  );

  // refresh while something is still on its way (the other signature, the first invoice, the signed PDF)
  const c = detail.data;
  const pending =
    c !== null &&
    (c.status === 'awaiting_signatures' ||
      (c.status === 'active' && (c.invoices.length === 0 || !c.deadlines.some((d) => d.kind === 'payment') && c.invoices.some((i) => i.status !== 'paid') || !c.documents.some((d) => d.kind === 'signed_contract'))));
  const reload = detail.reload;
  useEffect(() => {
    const every = pending ? 3_000 : 30_000;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, every);
    return () => clearInterval(timer);
  }, [pending, reload]);

  if (detail.error && !c) return <ErrorBox error={detail.error} onRetry={detail.reload} />;
  if (!c) return <Loading />;

  const signatureOf = (party: 'A' | 'B') => c.signatures.find((s) => s.party === party);
  const canSign = c.status === 'awaiting_signatures' && features.sign(user.role);
  const terms = c.terms;

  return (
    <div className="page" data-testid="contract-detail" data-contract-id={c.id}>
      <div className="page-head">
        <div>
          <h1 className="mono" data-testid="contract-number">
            {c.number}
          </h1>
          <p className="muted">{terms.title}</p>
        </div>
        <div className="head-actions">
          <StatusBadge status={c.status} />
          {canSign && (
            <Link to={`/contracts/${c.id}/sign`} className="btn btn-primary" data-testid="sign-link">
              {t('detail.signNow')}
            </Link>
          )}
        </div>
      </div>
      <RiskBanner matters={c.matters ?? []} contractId={c.id} />
      {c.deadlinesSource !== 'workflow' && <Notice kind="warn">{t('detail.source.read-model')}</Notice>}

      <div className="grid-2">
        <Section title={t('detail.deadlines')} id="deadlines">
          <DeadlineList deadlines={c.deadlines} fetchedAt={detail.fetchedAt} />
        </Section>
        <Section title={t('detail.terms')} id="terms">
          <dl className="kv">
            <dt>{t('detail.owner')}</dt>
            <dd>{c.owner.name}</dd>
            <dt>{t('detail.effective')}</dt>
            <dd>{formatDate(c.effectiveAt, lang)}</dd>
            <dt>{t('detail.termEnds')}</dt>
            <dd>{formatDue(c.termEndsAt, lang)}</dd>
            <dt>{t('detail.package')}</dt>
            <dd>
              {t('detail.packageLine', { name: terms.package.name, fee: formatYuan(terms.package.yearlyFeeFen), sms: terms.package.smsPerYear.toLocaleString() })}
            </dd>
            <dt>{t('detail.payment')}</dt>
            <dd>
              {t('detail.payTerms', { total: formatYuan(terms.payment.totalFen), days: terms.payment.dueDays, vat: terms.payment.vatRatePercent })} ·{' '}
              {t(`invoiceType.${terms.payment.invoiceType}`)}
            </dd>
            <dt>{t('detail.term')}</dt>
            <dd>
              {t('detail.termTerms', {
                years: terms.term.years,
                renew: terms.term.autoRenew ? t('detail.autoRenewYes', { n: terms.term.renewalYears }) : t('detail.autoRenewNo'),
              })}
            </dd>
            <dt>{t('detail.sms')}</dt>
            <dd>
              {t('detail.smsTerms', {
                sig: terms.sms.signature,
                ws: terms.sms.windowStart,
                we: terms.sms.windowEnd,
                ms: terms.sms.marketingWindowStart,
                me: terms.sms.marketingWindowEnd,
                permit: terms.sms.permit24h ? t('detail.permit') : '',
              })}
            </dd>
            <dt>{t('detail.legalTerms')}</dt>
            <dd>{t('detail.cureTerms', { n: terms.legal.cureDays })}</dd>
          </dl>
        </Section>
      </div>

      <Section title={t('detail.parties')} id="parties">
        <div className="grid-2">
          <PartyCard code="A" party={c.parties.A} signature={signatureOf('A')} canSign={canSign} contractId={c.id} />
          <PartyCard code="B" party={c.parties.B} signature={signatureOf('B')} canSign={canSign} contractId={c.id} />
        </div>
      </Section>

      <Section
        title={t('detail.invoices')}
        id="invoices"
        actions={
          features.recordPayment(user.role) && c.invoices.some((i) => i.status !== 'paid') ? (
            <Link to={`/finance?contract=${c.id}`} className="btn btn-small">
              {t('finance.record')}
            </Link>
          ) : undefined
        }
      >
        {c.invoices.length === 0 ? (
          <p className="muted">{t('detail.noInvoices')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table responsive" data-testid="invoices">
              <thead>
                <tr>
                  <th>{t('finance.number')}</th>
                  <th>{t('finance.status')}</th>
                  <th>{t('finance.amount')}</th>
                  <th>{t('finance.paid')}</th>
                  <th>{t('finance.due')}</th>
                  <th>{t('list.countdown')}</th>
                </tr>
              </thead>
              <tbody>
                {c.invoices.map((inv) => (
                  <tr key={inv.number} data-invoice={inv.number}>
                    <td data-label={t('finance.number')} className="mono">
                      {inv.number}
                      <span className="muted small block">{tx(`invoiceKind.${inv.kind}`)}</span>
                    </td>
                    <td data-label={t('finance.status')}>
                      <StatusBadge status={inv.status} kind="invoiceStatus" />
                    </td>
                    <td data-label={t('finance.amount')}>{formatYuan(inv.amountFen)}</td>
                    <td data-label={t('finance.paid')}>{formatYuan(inv.paidFen)}</td>
                    <td data-label={t('finance.due')} title={inv.dueExplanation}>
                      {formatDue(inv.dueAt, lang)}
                    </td>
                    <td data-label={t('list.countdown')}>{inv.secondsLeft !== null ? <Countdown secondsLeft={inv.secondsLeft} fetchedAt={detail.fetchedAt} /> : <span className="ok">✓ {formatDate(inv.paidAt, lang)}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {features.topUp(user.role) && c.status === 'active' && (
          <details className="topup">
            <summary>{t('detail.topUp')}</summary>
            <TopUpForm contractId={c.id} onDone={detail.reload} />
          </details>
        )}
      </Section>

      <div className="grid-2">
        {features.quota(user.role) && (
          <Section title={t('detail.quota')} id="quota">
            {quota.error ? <ErrorBox error={quota.error} /> : quota.data ? <QuotaChart quota={quota.data} /> : <Loading />}
          </Section>
        )}
        <Section title={t('detail.documents')} id="documents">
          <Documents documents={c.documents} />
        </Section>
      </div>

      {features.cases(user.role) && c.effectiveAt && <CasesSection contract={c} role={user.role} onChanged={detail.reload} />}

      {features.messages(user.role) && c.effectiveAt && <MessagesSection contract={c} role={user.role} />}

      <LifecycleSection contract={c} role={user.role} onChanged={detail.reload} />

      <Section title={t('detail.timeline')} id="timeline">
        <Timeline audit={c.audit} />
      </Section>
    </div>
  );
}
