/** The contract's audit trail, newest first, each event in words (console/src/audit-words.ts), by a person's name. */
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import { auditWords } from '../../../audit-words';
import { formatDateTime, formatDue, formatYuan } from '../../../format';
import { useI18n, type Lang } from '../../../i18n';

type AuditRow = ContractDetailView['audit'][number];

const SUMMARY_KEYS = ['party', 'signer', 'number', 'invoice', 'amountFen', 'reference', 'status', 'reason', 'clause', 'caseId', 'sms', 'termEndsAt', 'kind'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function summarize(row: AuditRow, tx: (key: string, fallback?: string) => string, lang: Lang): string {
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

export function Timeline({ audit }: { audit: AuditRow[] }) {
  const { t, tx, lang } = useI18n();
  return (
    <ol className="timeline" data-testid="timeline">
      {[...audit].reverse().map((row) => (
        <li key={row.id} data-type={row.type}>
          <time dateTime={row.at}>{formatDateTime(row.at, lang)}</time>
          <div>
            <strong>{auditWords(row.type, lang)}</strong> <span className="muted small">{summarize(row, tx, lang)}</span>
            <div className="muted small">
              {row.actorId.startsWith('system') ? t('audit.bySystem') : t('audit.by', { actor: row.actorName ?? row.actorId, role: tx(`role.${row.actorRole}`, row.actorRole) })}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
