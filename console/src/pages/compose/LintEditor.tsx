/**
 * The message editor: the lint findings (domain/sms/lint) highlighted in
 * place behind the text, coloured by kind (symbol, category, signature,
 * invitation, unsubscribe).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { LintIssue, LintIssueCode } from '../../../../domain/sms/lint';

type MarkClass = 'sym' | 'cat' | 'sig' | 'inv' | 'uns';
export const MARK_OF: Partial<Record<LintIssueCode, MarkClass>> = {
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
export function LintEditor({ value, onChange, issues, placeholder, label }: { value: string; onChange: (v: string) => void; issues: LintIssue[]; placeholder: string; label: string }) {
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
