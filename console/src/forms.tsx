/**
 * The pieces every small form of the console is made of: a labelled field
 * with its error, the API schema's issues by field in the chosen language,
 * a form's buttons, the state of an act sent to the API (busy, its error,
 * what an irreversible act waits to be confirmed with), and the parties named
 * in words.
 */
import { useState, type ChangeEvent, type ReactNode } from 'react';
import type { PartyCode } from '../../domain/terms';
import { useI18n, type Lang, type Translate } from './i18n';
import { localizeMessage } from './zod-messages';

/** A schema's findings, as zod reports them. */
type ZodIssues = { issues: readonly { path: readonly PropertyKey[]; message: string }[] };

/** Problems by field path ("servedBy", "contact.phone"): the first for each field, in the chosen language. */
export type Issues = Record<string, string>;

export function issuesOf(error: ZodIssues, lang: Lang): Issues {
  const out: Issues = {};
  for (const issue of error.issues) out[issue.path.map(String).join('.')] ??= localizeMessage(issue.message, lang);
  return out;
}

/** The first problem of a failed parse, in the chosen language. */
export const firstIssue = (error: ZodIssues, lang: Lang): string => localizeMessage(error.issues[0]?.message ?? 'invalid', lang);

/** A parse's first problem as an error naming its field ("reason: …"), or null when it passed. */
export function parseError(result: { success: boolean; error?: ZodIssues }, lang: Lang): Error | null {
  if (result.success) return null;
  const issue = result.error!.issues[0]!;
  return new Error(`${issue.path.map(String).join('.')}: ${localizeMessage(issue.message, lang)}`);
}

/** A form's buttons: a way out (when it can be left without sending) and the submit button. */
export function FormActions({ submit, testId, disabled = false, onCancel }: { submit: string; testId: string; disabled?: boolean; onCancel?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="form-actions wide">
      {onCancel && (
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
      <button type="submit" className="btn btn-primary" disabled={disabled} data-testid={testId}>
        {submit}
      </button>
    </div>
  );
}

/** A labelled input with its error below it. */
export function Field({ label, error, wide = false, className, children }: { label: ReactNode; error?: string | null; wide?: boolean; className?: string; children: ReactNode }) {
  const classes = ['field', className, wide ? 'wide' : null, error ? 'has-error' : null].filter(Boolean).join(' ');
  return (
    <label className={classes}>
      <span>{label}</span>
      {children}
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}

export type Act<T> = {
  busy: boolean;
  error: unknown;
  setError: (error: unknown) => void;
  /** what an irreversible act will send once confirmed; null while nothing is asked */
  asking: T | null;
  ask: (value: T | null) => void;
  /** runs the request: busy meanwhile; a failure is shown and ends the asking */
  run: (request: () => Promise<void>) => Promise<void>;
};

/** The state of one act sent to the API. */
export function useAct<T = unknown>(): Act<T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [asking, ask] = useState<T | null>(null);
  const run = async (request: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await request();
    } catch (e) {
      setError(e);
      ask(null);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, asking, ask, run };
}

/** base64 of a file's bytes (without the data: URL's prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

export type PickedFile = { name: string; base64: string };

/** A PDF chosen in a file input, read as base64 for a written document; a file that cannot be read is the form's error. */
export function usePickedFile(onError: (error: unknown) => void, onPick?: () => void) {
  const [file, setFile] = useState<PickedFile | null>(null);
  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    onPick?.();
    if (!chosen) return setFile(null);
    try {
      setFile({ name: chosen.name, base64: await readBase64(chosen) });
    } catch (e) {
      onError(e);
    }
  };
  return { file, pick };
}

/** a contract's party (domain/terms.ts) */
export type Party = PartyCode;

/** "甲方" / "Party A" */
export const partyWord = (t: Translate, party: Party): string => t(party === 'A' ? 'detail.partyA' : 'detail.partyB');

/** "甲方（某某有限公司）" */
export const partyNamed = (t: Translate, party: Party, name: string): string => `${partyWord(t, party)}（${name}）`;

export const otherParty = (party: Party): Party => (party === 'A' ? 'B' : 'A');

/** The capacity a party's representative signs in, unless told otherwise. */
export const DEFAULT_SIGNER_TITLE: Record<Party, string> = { A: '授权代表', B: '负责人' };
