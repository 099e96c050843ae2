/**
 * Service interruptions (Art.5 §8): declaring one over the contracts chosen
 * by customer name or number (or every contract in service), then one card
 * per outage — how many customers were notified, are held, were late, the
 * 24-hour notice deadline in words — with the release of every held notice
 * at once and the restoration, 50 outages at a time (the filter and the page
 * in the URL). Bodies are validated with the API's schemas (domain/legal);
 * the acts that reach many customers ask first.
 */
import { useEffect, useState } from 'react';
import type { OutageDetailView, OutageListView } from '../../../../api/routes/cases.types';
import { apiGet } from '../../api';
import { useAuth } from '../../auth';
import { ListBody, Notice, offsetOf, Pager, Segmented, useLoad, usePastTheEnd } from '../../components';
import { useI18n } from '../../i18n';
import { navigate, useLocation } from '../../router';
import { DeclareOutageForm } from './DeclareOutageForm';
import { OutageCard } from './OutageCard';
import { outageRights } from './rights';

const PAGE = 50;

function pathOf(status: 'open' | 'all', offset: number): string {
  const q = new URLSearchParams();
  if (status === 'all') q.set('status', 'all');
  if (offset) q.set('offset', String(offset));
  const qs = q.toString();
  return `/outages${qs ? `?${qs}` : ''}`;
}

export function OutagesPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const { query } = useLocation();
  const status = query.get('status') === 'all' ? 'all' : 'open';
  const [declaring, setDeclaring] = useState(false);
  const [declared, setDeclared] = useState<OutageDetailView | null>(null);
  const offset = offsetOf(query);
  const list = useLoad((signal) => apiGet<OutageListView>(`/api/outages?status=${status}&limit=${PAGE}&offset=${offset}`, { signal }), [status, offset]);
  // the last outages of a page restored: the page before it
  usePastTheEnd(list.data, offset, PAGE, (next) => navigate(pathOf(status, next), { replace: true }));

  // notices on their way (reported, not held, not yet sent): look again soon
  const sending = list.data?.items.some((o) => o.unsent > 0 && o.held === 0) ?? false;
  const reload = list.reload;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, sending ? 3_000 : 30_000);
    return () => clearInterval(timer);
  }, [sending, reload]);

  return (
    <div className="page" data-testid="outages-page">
      <div className="page-head">
        <div>
          <h1>{t('outage.title')}</h1>
          <p className="muted">{t('outage.intro')}</p>
        </div>
        {outageRights(user.role).declare && (
          <button type="button" className="btn btn-primary" onClick={() => setDeclaring(!declaring)} data-testid="declare-outage">
            {t('outage.declare')}
          </button>
        )}
      </div>
      {declaring && (
        <DeclareOutageForm
          onDeclared={(o) => {
            setDeclared(o);
            setDeclaring(false);
            list.reload();
          }}
        />
      )}
      {declared && <Notice kind="ok">{t('outage.declared', { id: declared.id, n: declared.cases.length })}</Notice>}
      <div className="filters card">
        <Segmented
          label={t('legal.state')}
          options={(['open', 'all'] as const).map((s) => ({ value: s, text: t(s === 'open' ? 'outage.filter.open' : 'legal.status.all') }))}
          value={status}
          onChoose={(s) => navigate(pathOf(s, 0))}
        />
      </div>
      <ListBody list={list} empty={list.data?.items.length === 0} emptyText={t('outage.empty')}>
        <div className="cases" data-testid="outages">
          {list.data?.items.map((o) => <OutageCard key={o.id} o={o} fetchedAt={list.fetchedAt} role={user.role} onChanged={list.reload} />)}
        </div>
        {list.data && <Pager offset={offset} limit={PAGE} total={list.data.total} shown={list.data.items.length} onPage={(next) => navigate(pathOf(status, next))} testId="outages-pager" />}
      </ListBody>
    </div>
  );
}
