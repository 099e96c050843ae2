import { useI18n } from '../../i18n';

/** A case's flags (late notice, proof missing…) as badges. */
export function FlagBadges({ flags }: { flags: string[] }) {
  const { tx } = useI18n();
  return (
    <>
      {flags.map((f) => (
        <span key={f} className="badge s-overdue">
          {tx(`flag.${f}`, f)}
        </span>
      ))}
    </>
  );
}

/** The flags of a case under its description; nothing when it has none. */
export function CaseFlags({ flags }: { flags: string[] }) {
  if (flags.length === 0) return null;
  return (
    <p className="flags">
      <FlagBadges flags={flags} />
    </p>
  );
}
