/**
 * New contract: pre-filled from GET /api/templates/reference, validated as
 * you type with the API's own schema (ZContractTerms from domain/), so the
 * messages are the server's; errors the server still returns are shown on
 * the same fields.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ContractDetailView, ReferenceTemplateView } from '../../../../../api/routes/contracts.types';
import { normaliseCreditCode } from '../../../../../domain/credit-code';
import { INVOICE_TYPES, ZContractTerms } from '../../../../../domain/terms';
import { apiGet, apiPost, ApiError, newIdempotencyKey } from '../../../api';
import { ErrorBox, Loading, useLoad } from '../../../components';
import { useI18n } from '../../../i18n';
import { navigate } from '../../../router';
import { localizeMessage } from '../../../zod-messages';
import { ALL_FIELDS, fromDraft, SECTIONS, toDraft, UNREADABLE, type Draft } from './draft';

export function NewContractPage() {
  const { t, lang } = useI18n();
  const template = useLoad((signal) => apiGet<ReferenceTemplateView>('/api/templates/reference', { signal }), []);
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
  const blur = (path: string) => {
    setTouched((s) => new Set(s).add(path));
    // the credit code as it is stored: full-width characters and lower case typed are shown as the server keeps them
    if (ALL_FIELDS.find((f) => f.path === path)?.kind === 'creditCode') {
      const typed = String(draft[path]);
      if (normaliseCreditCode(typed) !== typed) setDraft({ ...draft, [path]: normaliseCreditCode(typed) });
    }
  };

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
      const created = await apiPost<ContractDetailView>('/api/contracts', { terms: validation.terms }, { idempotencyKey: attempt.current.key });
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
                    autoCapitalize={f.kind === 'creditCode' ? 'characters' : undefined}
                    spellCheck={f.kind === 'creditCode' ? false : undefined}
                    className={f.kind === 'creditCode' ? 'mono' : undefined}
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
                {!error && f.kind === 'creditCode' && <span className="muted">{t('f.creditCodeHint')}</span>}
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
