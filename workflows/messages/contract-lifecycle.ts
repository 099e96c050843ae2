/**
 * Messages of the contract lifecycle (workflows/contract-lifecycle.ts): what
 * the API asks of a contract, and the freeze a confirmed content violation
 * sends it.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, ContractStatus, DeadlineState, SignatureRecord, TSignContractRequest } from '../../domain/contract';
import type { DeliveryScanRef, DeliveryState, TDeliveryConfirmationRequest } from '../../domain/delivery';
import type { AmendmentChanges, TProposeAmendmentRequest, TRenewalObjectionRequest, TTerminationRequest } from '../../domain/lifecycle';
import type { ContractTerms, PartyCode } from '../../domain/terms';
import type { PricedTopUp } from '../../domain/top-ups';

/** The documents the lifecycle rendered (document ids). */
export type ContractDocuments = { contract?: string; signedContract?: string };

/** A party's written objection to the automatic renewal (Art.6 §1). */
export type RenewalObjection = { party: PartyCode; reason: string; at: string };

/** A supplemental agreement (Art.6 §2), proposed and then signed by both parties. */
export type AmendmentState = {
  seq: number;
  description: string;
  changes: AmendmentChanges;
  status: 'proposed' | 'signed';
  signatures: Partial<Record<PartyCode, SignatureRecord>>;
};

export type ContractStateView = {
  contractId: string;
  number: string;
  status: ContractStatus;
  effectiveAt: string | null;
  termEndsAt: string | null;
  deadlines: DeadlineState[];
  documents: ContractDocuments;
  renewals: number;
  objection: RenewalObjection | null;
  amendments: AmendmentState[];
  signatures: SignatureRecord[];
  terms: ContractTerms;
  termination: { reason: string; effectiveAt: string } | null;
  /** Art.3 §3: the delivery form and Party A's confirmation (null: not in force yet, or in force from before the confirmation flow) */
  delivery: DeliveryState | null;
};

export type SignContractInput = TSignContractRequest & { actor: Actor };
/** A confirmed content violation freezes the account permanently (Art.8 §5): sent by the violation workflow. */
export type FreezeContractInput = { caseId: string; reason: string; actor: Actor };
export type ObjectToRenewalInput = TRenewalObjectionRequest & { actor: Actor };
export type TerminateContractInput = TTerminationRequest & { actor: Actor };
export type ProposeAmendmentInput = TProposeAmendmentRequest & { actor: Actor };
export type SignAmendmentInput = Omit<TSignContractRequest, 'signedAt'> & { seq: number; actor: Actor };
/** A top-up as priced by the API (domain/top-ups.ts): updates from before price lists carry no `pricing`. */
export type RequestTopUpInput = PricedTopUp & { actor: Actor };

/** Party A's confirmation of the delivery form: as signed (signer, title, sealed, when) and/or the scan the API stored first. */
export type ConfirmDeliveryInput = Omit<TDeliveryConfirmationRequest, 'document'> & { scan: DeliveryScanRef | null; actor: Actor };

export const getContractStateQuery = defineQuery<ContractStateView>('getContractStateQuery');
export const signContractUpdate = defineUpdate<ContractStateView, [SignContractInput]>('signContractUpdate');
export const freezeContractSignal = defineSignal<[FreezeContractInput]>('freezeContractSignal');
export const objectToRenewalUpdate = defineUpdate<ContractStateView, [ObjectToRenewalInput]>('objectToRenewalUpdate');
export const terminateContractUpdate = defineUpdate<ContractStateView, [TerminateContractInput]>('terminateContractUpdate');
export const proposeAmendmentUpdate = defineUpdate<AmendmentState, [ProposeAmendmentInput]>('proposeAmendmentUpdate');
export const signAmendmentUpdate = defineUpdate<AmendmentState, [SignAmendmentInput]>('signAmendmentUpdate');
export const confirmDeliveryUpdate = defineUpdate<DeliveryState, [ConfirmDeliveryInput]>('confirmDeliveryUpdate');
export const requestTopUpUpdate = defineUpdate<{ invoiceNumber: string; workflowId: string }, [RequestTopUpInput]>('requestTopUpUpdate');
