/**
 * New contract: pre-filled from GET /api/templates/reference, validated as
 * you type with the API's own schema (ZContractTerms from domain/), so the
 * messages are the server's; errors the server still returns are shown on
 * the same fields.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { INVOICE_TYPES, ZContractTerms, type ContractTerms } from '../../../domain/terms';
import { apiGet, apiPost, ApiError, newIdempotencyKey } from '../api';
import { ErrorBox, Loading, useLoad } from '../components';
import { formatYuan, parseYuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { navigate } from '../router';
import { localizeMessage } from '../zod-messages';

type Kind = 'text' | 'int' | 'number' | 'yuan' | 'days' | 'bool' | 'invoiceType' | 'clock' | 'optional-text';
type FieldDef = { path: string; label: MessageKey; kind: Kind; wide?: boolean };
type SectionDef = { title: MessageKey; fields: FieldDef[] };

const party = (p: 'partyA' | 'partyB'): FieldDef[] => [
  { path: `${p}.name`, label: 'f.name', kind: 'text', wide: true },
  { path: `${p}.address`, label: 'f.address', kind: 'text', wide: true },
  { path: `${p}.representative`, label: 'f.representative', kind: 'text' },
  { path: `${p}.contact.name`, label: 'f.contactName', kind: 'text' },
  { path: `${p}.contact.phone`, label: 'f.contactPhone', kind: 'text' },
  { path: `${p}.contact.email`, label: 'f.contactEmail', kind: 'optional-text' },
];

const SECTIONS: SectionDef[] = [
  { title: 'new.section.general', fields: [{ path: 'title', label: 'f.title', kind: 'text', wide: true }] },
  { title: 'new.section.partyA', fields: party('partyA') },
  {
    title: 'new.section.partyB',
    fields: [
      ...party('partyB'),
      { path: 'partyB.bank.accountName', label: 'f.bankAccountName', kind: 'text', wide: true },
      { path: 'partyB.bank.bankName', label: 'f.bankName', kind: 'text' },
      { path: 'partyB.bank.accountNumber', label: 'f.bankAccountNumber', kind: 'text' },
    ],
  },
  {
    title: 'new.section.package',
    fields: [
      { path: 'package.name', label: 'f.packageName', kind: 'text', wide: true },
      { path: 'package.yearlyFeeFen', label: 'f.yearlyFee', kind: 'yuan' },
      { path: 'package.smsPerYear', label: 'f.smsPerYear', kind: 'int' },
    ],
  },
  {
    title: 'new.section.payment',
    fields: [
      { path: 'payment.totalFen', label: 'f.total', kind: 'yuan' },
      { path: 'payment.vatRatePercent', label: 'f.vat', kind: 'number' },
      { path: 'payment.invoiceType', label: 'f.invoiceType', kind: 'invoiceType' },
      { path: 'payment.dueDays', label: 'f.dueDays', kind: 'int' },
      { path: 'payment.reminderDaysBefore', label: 'f.reminders', kind: 'days' },
    ],
  },
  {
    title: 'new.section.term',
    fields: [
      { path: 'term.years', label: 'f.years', kind: 'int' },
      { path: 'term.autoRenew', label: 'f.autoRenew', kind: 'bool' },
      { path: 'term.renewalYears', label: 'f.renewalYears', kind: 'int' },
      { path: 'term.renewalAlertDaysBefore', label: 'f.renewalAlerts', kind: 'days' },
    ],
  },
  {
    title: 'new.section.sms',
    fields: [
      { path: 'sms.signature', label: 'f.signature', kind: 'text' },
      { path: 'sms.permit24h', label: 'f.permit24h', kind: 'bool' },
      { path: 'sms.windowStart', label: 'f.windowStart', kind: 'clock' },
      { path: 'sms.windowEnd', label: 'f.windowEnd', kind: 'clock' },
      { path: 'sms.marketingWindowStart', label: 'f.marketingStart', kind: 'clock' },
      { path: 'sms.marketingWindowEnd', label: 'f.marketingEnd', kind: 'clock' },
    ],
  },
  {
    title: 'new.section.legal',
    fields: [
      { path: 'legal.cureDays', label: 'f.cureDays', kind: 'int' },
      { path: 'legal.negotiationDays', label: 'f.negotiationDays', kind: 'int' },
      { path: 'legal.outageNoticeHours', label: 'f.outageHours', kind: 'int' },
      { path: 'legal.violationReportHours', label: 'f.violationHours', kind: 'int' },
      { path: 'legal.forceMajeureProofDays', label: 'f.fmDays', kind: 'int' },
      { path: 'legal.disputeVenue', label: 'f.venue', kind: 'text' },
    ],
  },
  {
    title: 'new.section.signing',
    fields: [
      { path: 'originals.total', label: 'f.originalsTotal', kind: 'int' },
      { path: 'originals.perParty', label: 'f.originalsPerParty', kind: 'int' },
      { path: 'signing.periodDays', label: 'f.signingDays', kind: 'int' },
      { path: 'signing.reminderDaysBefore', label: 'f.signingReminders', kind: 'days' },
    ],
  },
];

const ALL_FIELDS = SECTIONS.flatMap((s) => s.fields);

type Draft = Record<string, string | boolean>;

function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), obj);
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj;
  for (const key of keys.slice(0, -1)) {
    if (!cur[key] || typeof cur[key] !== 'object') cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  if (value === undefined) delete cur[keys[keys.length - 1]!];
  else cur[keys[keys.length - 1]!] = value;
}

function toDraft(terms: ContractTerms): Draft {
  const draft: Draft = {};
  for (const f of ALL_FIELDS) {
    const v = getPath(terms, f.path);
    if (f.kind === 'bool') draft[f.path] = Boolean(v);
    else if (f.kind === 'yuan') draft[f.path] = typeof v === 'number' ? formatYuan(v).replace(/,/g, '') : '';
    else if (f.kind === 'days') draft[f.path] = Array.isArray(v) ? v.join(', ') : '';
    else draft[f.path] = v === undefined || v === null ? '' : String(v);
  }
  return draft;
}

/** The draft as the API body, plus the fields that could not even be read (e.g. "abc" as an amount). */
function fromDraft(draft: Draft, base: ContractTerms): { terms: Record<string, unknown>; unreadable: Record<string, 'yuan' | 'int' | 'number' | 'days'> } {
  const terms = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const unreadable: Record<string, 'yuan' | 'int' | 'number' | 'days'> = {};
  for (const f of ALL_FIELDS) {
    const raw = draft[f.path];
    switch (f.kind) {
      case 'bool':
        setPath(terms, f.path, Boolean(raw));
        break;
      case 'yuan': {
        const fen = parseYuan(String(raw));
        if (fen === null) unreadable[f.path] = 'yuan';
        setPath(terms, f.path, fen ?? Number.NaN);
        break;
      }
      case 'int':
      case 'number': {
        const text = String(raw).trim();
        const n = text === '' ? Number.NaN : Number(text);
        if (!Number.isFinite(n)) unreadable[f.path] = f.kind;
        setPath(terms, f.path, n);
        break;
      }
      case 'days': {
        const parts = String(raw).split(/[,，\s]+/).filter(Boolean);
        const days = parts.map(Number);
        if (days.some((d) => !Number.isFinite(d))) unreadable[f.path] = 'days';
        setPath(terms, f.path, days);
        break;
      }
      case 'optional-text':
        setPath(terms, f.path, String(raw).trim() === '' ? undefined : String(raw));
        break;
      default:
        setPath(terms, f.path, String(raw));
    }
  }
  return { terms, unreadable };
}

const UNREADABLE: Record<string, { zh: string; en: string }> = {
  yuan: { zh: '请输入金额（元），例如 999.00', en: 'must be an amount in CNY, e.g. 999.00' },
  int: { zh: '请输入整数', en: 'must be a whole number' },
  number: { zh: '请输入数字', en: 'must be a number' },
  days: { zh: '请输入天数，以逗号分隔，例如 7, 3, 1', en: 'must be days separated by commas, e.g. 7, 3, 1' },
};

export function NewContractPage() {
  const { t, lang } = useI18n();
  const template = useLoad((signal) => apiGet<{ terms: ContractTerms }>('/api/templates/reference', { signal }), []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<unknown>(null);
  const attempt = useRef<{ body: string; key: string } | null>(null);

  useEffect(() => {
    if (template.data && !draft) setDraft(toDraft(template.data.terms));
  }, [template.data, draft]);

  const validation = useMemo(() => {
    if (!draft || !template.data) return null;
    const { terms, unreadable } = fromDraft(draft, template.data.terms);
    const parsed = ZContractTerms.safeParse(terms);
    const errors: Record<string, string> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String).join('.');
        // a day list's element error ("payment.reminderDaysBefore.0") belongs to the list's field
        const field = ALL_FIELDS.find((f) => path === f.path || path.startsWith(`${f.path}.`))?.path ?? path;
        errors[field] ??= localizeMessage(issue.message, lang);
      }
    }
    for (const [path, kind] of Object.entries(unreadable)) errors[path] = UNREADABLE[kind]![lang];
    return { terms, errors, ok: parsed.success && Object.keys(unreadable).length === 0 };
  }, [draft, template.data, lang]);

  const serverIssues = useMemo(() => {
    const map: Record<string, string> = {};
    if (serverError instanceof ApiError) {
      for (const issue of serverError.issues) map[issue.path.replace(/^body\.(terms\.)?/, '')] = localizeMessage(issue.message, lang);
    }
    return map;
  }, [serverError, lang]);

  if (template.error) return <ErrorBox error={template.error} onRetry={template.reload} />;
  if (!draft || !validation || !template.data) return <Loading />;

  const errorCount = Object.keys(validation.errors).length;
  const update = (path: string, value: string | boolean) => {
    setDraft({ ...draft, [path]: value });
    setServerError(null);
  };
  const blur = (path: string) => setTouched((s) => new Set(s).add(path));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!validation.ok) {
      const first = ALL_FIELDS.find((f) => validation.errors[f.path]);
      if (first) document.getElementById(`f-${first.path}`)?.focus();
      return;
    }
    const body = JSON.stringify(validation.terms);
    // the same content retried keeps its key (no second contract); changed content gets a new one
    if (!attempt.current || attempt.current.body !== body) attempt.current = { body, key: newIdempotencyKey() };
    setBusy(true);
    setServerError(null);
    try {
      const created = await apiPost<{ id: string }>('/api/contracts', { terms: validation.terms }, { idempotencyKey: attempt.current.key });
      navigate(`/contracts/${created.id}`);
    } catch (e) {
      setServerError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="page" onSubmit={submit} noValidate data-testid="new-contract-form">
      <div className="page-head">
        <h1>{t('new.title')}</h1>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            setDraft(toDraft(template.data!.terms));
            setTouched(new Set());
            setSubmitted(false);
          }}
        >
          {t('new.reset')}
        </button>
      </div>
      <p className="muted">{t('new.intro')}</p>
      {SECTIONS.map((section) => (
        <fieldset key={section.title} className="card form-grid">
          <legend>{t(section.title)}</legend>
          {section.fields.map((f) => {
            const shown = submitted || touched.has(f.path);
            const error = serverIssues[f.path] ?? (shown ? validation.errors[f.path] : undefined);
            const id = `f-${f.path}`;
            const described = error ? `${id}-err` : undefined;
            if (f.kind === 'bool') {
              return (
                <label key={f.path} className={`check field ${f.wide ? 'wide' : ''}`}>
                  <input id={id} type="checkbox" name={f.path} checked={Boolean(draft[f.path])} onChange={(e) => update(f.path, e.target.checked)} />
                  <span>{t(f.label)}</span>
                </label>
              );
            }
            return (
              <div key={f.path} className={`field ${f.wide ? 'wide' : ''} ${error ? 'has-error' : ''}`}>
                <label htmlFor={id}>{t(f.label)}</label>
                {f.kind === 'invoiceType' ? (
                  <select id={id} name={f.path} value={String(draft[f.path])} onChange={(e) => update(f.path, e.target.value)} onBlur={() => blur(f.path)}>
                    {INVOICE_TYPES.map((type) => (
                      <option key={type} value={type}>
                        {t(`invoiceType.${type}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    name={f.path}
                    value={String(draft[f.path])}
                    inputMode={f.kind === 'int' || f.kind === 'days' ? 'numeric' : f.kind === 'yuan' || f.kind === 'number' ? 'decimal' : undefined}
                    onChange={(e) => update(f.path, e.target.value)}
                    onBlur={() => blur(f.path)}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={described}
                  />
                )}
                {error && (
                  <span className="field-error" id={described} data-testid="field-error">
                    {error}
                  </span>
                )}
              </div>
            );
          })}
        </fieldset>
      ))}
      {serverError !== null && Object.keys(serverIssues).length === 0 && <ErrorBox error={serverError} />}
      <div className="form-actions">
        {submitted && errorCount > 0 && <span className="field-error">{t('new.invalid', { n: errorCount })}</span>}
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="create-contract">
          {busy ? t('new.submitting') : t('new.submit')}
        </button>
      </div>
    </form>
  );
}
