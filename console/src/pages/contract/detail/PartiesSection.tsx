import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import type { SignatureRecord } from '../../../../../domain/contract';
import type { ContractTerms } from '../../../../../domain/terms';
import { Section } from '../../../components';
import { formatDateTime } from '../../../format';
import { partyWord, type Party } from '../../../forms';
import { useI18n } from '../../../i18n';
import { Link } from '../../../router';

function PartyCard({ code, party, signature, canSign, contractId }: { code: Party; party: ContractTerms['partyA']; signature?: SignatureRecord; canSign: boolean; contractId: string }) {
  const { t, lang } = useI18n();
  return (
    <div className="party" data-party={code}>
      <h3>
        {partyWord(t, code)} · {party.name}
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

/** Both parties with their contacts and signatures, and a link to sign where the role may. */
export function PartiesSection({ contract: c, canSign }: { contract: ContractDetailView; canSign: boolean }) {
  const { t } = useI18n();
  const signatureOf = (party: Party) => c.signatures.find((s) => s.party === party);
  return (
    <Section title={t('detail.parties')} id="parties">
      <div className="grid-2">
        <PartyCard code="A" party={c.parties.A} signature={signatureOf('A')} canSign={canSign} contractId={c.id} />
        <PartyCard code="B" party={c.parties.B} signature={signatureOf('B')} canSign={canSign} contractId={c.id} />
      </div>
    </Section>
  );
}
