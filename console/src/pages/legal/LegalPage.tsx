/**
 * Legal board: every open case (breach, outage, violation, force majeure)
 * soonest deadline first (the API's order), coloured by urgency, with the
 * actions each case allows in its status and the role may take; and serving
 * a breach notice. Shown 50 cases at a time, the filters and the page kept in
 * the URL. An outage is one card for all its contracts, acted on in the
 * outages screen. Bodies are validated with the API's schemas (domain/legal);
 * irreversible acts ask first, stating the consequence.
 */
import { useState } from 'react';
import type { CaseListView, CaseView } from '../../../../api/routes/cases.types';
import { CASE_KINDS } from '../../../../domain/legal';
import { apiGet } from '../../api';
import { useAuth } from '../../auth';
import { ListBody, Notice, offsetOf, Pager, Segmented, useLoad, usePastTheEnd } from '../../components';
import { features } from '../../features';
import { useI18n } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { CaseCard } from './CaseCard';
import { groupOutages, OutageGroupCard } from './OutageGroupCard';
import { ServeBreachForm } from './ServeBreachForm';

const PAGE = 50;

export function LegalPage() {
  const { t, tx } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const kind = query.get('kind') ?? '';
  const status = query.get('status') ?? 'open';
  const contract = query.get('contract') ?? '';
  // one case (a work item's link, /legal?case=<id>&status=all): the list narrowed to it
  const onlyCase = query.get('case') ?? '';
  const [serving, setServing] = useState(query.get('serve') === '1');
  const [served, setServed] = useState<string | null>(null);
  const offset = offsetOf(query);
  const qs = new URLSearchParams({ status, limit: String(PAGE), offset: String(offset) });
  if (kind) qs.set('kind', kind);
  if (contract) qs.set('contract', contract);
  const list = useLoad(
    (signal) =>
      onlyCase
        ? apiGet<CaseView>(`/api/cases/${encodeURIComponent(onlyCase)}`, { signal }).then((c): CaseListView => ({ total: 1, items: [c] }))
        : apiGet<CaseListView>(`/api/cases?${qs.toString()}`, { signal }),
    [onlyCase, qs.toString()],
  );

  /** another filter shows its first page; `offset` alone turns the page */
  const go = (next: Record<string, string>, options: { replace?: boolean } = {}) => {
    const q = new URLSearchParams({ ...(kind ? { kind } : {}), ...(status !== 'open' ? { status } : {}), ...(contract ? { contract } : {}), ...next });
    for (const [k, v] of [...q.entries()]) if (!v || (k === 'status' && v === 'open') || (k === 'offset' && v === '0')) q.delete(k);
    navigate(`/legal${q.toString() ? `?${q}` : ''}`, options);
  };
  // the last cases of a page closed: the page before it
  usePastTheEnd(onlyCase ? null : list.data, offset, PAGE, (next) => go({ offset: String(next) }, { replace: true }));

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t(user.role === 'legal' || user.role === 'admin' ? 'legal.title' : 'legal.casesTitle')}</h1>
          <p className="muted">{t('legal.intro')}</p>
        </div>
        {features.serveBreach(user.role) && (
          <button type="button" className="btn btn-primary" onClick={() => setServing(!serving)} data-testid="serve-breach">
            {t('legal.serve')}
          </button>
        )}
      </div>
      {serving && (
        <ServeBreachForm
          onServed={(c) => {
            setServed(c.id);
            setServing(false);
            list.reload();
          }}
        />
      )}
      {served && <Notice kind="ok">{t('legal.served')}</Notice>}
      <div className="filters card">
        <Segmented
          label={t('legal.kind')}
          options={['', ...CASE_KINDS].map((k) => ({ value: k, text: k ? tx(`caseKind.${k}`) : t('common.all') }))}
          value={kind}
          onChoose={(k) => go({ kind: k })}
        />
        <Segmented label={t('legal.state')} options={(['open', 'closed', 'all'] as const).map((s) => ({ value: s, text: t(`legal.status.${s}`) }))} value={status} onChoose={(s) => go({ status: s })} />
      </div>
      <ListBody list={list} empty={list.data?.items.length === 0} emptyText={t('legal.empty')}>
        <div className="cases" data-testid="cases">
          {groupOutages(list.data?.items ?? []).map((entry) =>
            Array.isArray(entry) ? (
              <OutageGroupCard key={`${entry[0]!.outageId}:${list.fetchedAt}`} cases={entry} fetchedAt={list.fetchedAt} role={user.role} />
            ) : (
              <CaseCard key={`${entry.id}:${list.fetchedAt}`} c={entry} role={user.role} />
            ),
          )}
        </div>
        {list.data && !onlyCase && <Pager offset={offset} limit={PAGE} total={list.data.total} shown={list.data.items.length} onPage={(next) => go({ offset: String(next) })} testId="cases-pager" />}
      </ListBody>
    </div>
  );
}
