/**
 * Art.6 §2 and Art.11 §2 of the reference contract: during the term the
 * parties change the contract only by a supplemental agreement (补充协议),
 * signed and sealed by both like the contract itself and of the same force.
 * One is proposed, each party signs it once; with both signatures its changes
 * apply to the contract's terms and the agreement is rendered.
 */
import { setHandler } from '@temporalio/workflow';
import type { SignatureRecord } from '../../domain/contract';
import { applyAmendment } from '../../domain/lifecycle';
import { PARTY_LABELS, type ContractTerms } from '../../domain/terms';
import { acts } from '../activity-proxies';
import {
  proposeAmendmentUpdate,
  signAmendmentUpdate,
  type AmendmentState,
  type ProposeAmendmentInput,
  type SignAmendmentInput,
} from '../messages/contract-lifecycle';
import { refuse } from '../refusals';
import { nowIso } from '../shared';
import type { ContractRun } from './state';

export function handleAmendments(contract: ContractRun): void {
  const { state } = contract;
  setHandler(
    proposeAmendmentUpdate,
    async (request) => {
      const amendment: AmendmentState = { seq: state.amendments.length + 1, description: request.description, changes: request.changes, status: 'proposed', signatures: {} };
      state.amendments.push(amendment);
      await acts.recordAmendment({ contractId: state.contractId, seq: amendment.seq, description: amendment.description, changes: amendment.changes, signatures: [], actor: request.actor });
      return amendment;
    },
    {
      validator: (_request: ProposeAmendmentInput) => {
        contract.requireInTerm('a supplemental agreement');
        const pending = state.amendments.find((a) => a.status === 'proposed');
        if (pending) throw refuse('amendment.pending', { seq: pending.seq }, `supplemental agreement ${pending.seq} is still awaiting signatures`);
      },
    },
  );

  setHandler(
    signAmendmentUpdate,
    async (request) => {
      const amendment = state.amendments.find((a) => a.seq === request.seq)!;
      amendment.signatures[request.party] = {
        party: request.party,
        signer: request.signer,
        title: request.title,
        sealed: true,
        signedAt: nowIso(),
        recordedBy: request.actor.id,
      };
      const signatures = (['A', 'B'] as const).flatMap((p): SignatureRecord[] => (amendment.signatures[p] ? [amendment.signatures[p]!] : []));
      const termsBefore = state.terms;
      let signedTerms: ContractTerms | undefined;
      if (signatures.length === 2) {
        amendment.status = 'signed';
        signedTerms = applyAmendment(state.terms, amendment.changes);
        state.terms = signedTerms;
      }
      await acts.recordAmendment({
        contractId: state.contractId,
        seq: amendment.seq,
        description: amendment.description,
        changes: amendment.changes,
        signatures,
        signedTerms,
        actor: request.actor,
      });
      if (signedTerms) {
        await acts.produceLifecycleDocument({ kind: 'amendment', contractId: state.contractId, seq: amendment.seq, termsBefore, changes: amendment.changes, signatures, issuedAt: nowIso() });
      }
      return amendment;
    },
    {
      validator: (request: SignAmendmentInput) => {
        contract.requireInTerm('signing a supplemental agreement');
        const amendment = state.amendments.find((a) => a.seq === request.seq);
        if (!amendment) throw refuse('amendment.not_found', { seq: request.seq }, `supplemental agreement ${request.seq} does not exist`);
        if (amendment.status !== 'proposed') throw refuse('amendment.completed', { seq: request.seq }, `supplemental agreement ${request.seq} is already signed by both parties`);
        if (amendment.signatures[request.party]) {
          throw refuse('amendment.already_signed', { seq: request.seq, party: request.party }, `${PARTY_LABELS[request.party]} already signed supplemental agreement ${request.seq}`);
        }
      },
    },
  );
}
