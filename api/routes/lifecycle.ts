import { z } from 'zod';
import { listAmendments } from '../../db/lifecycle';
import { ZSignContractRequest } from '../../domain/contract';
import { ZProposeAmendmentRequest, ZRenewalObjectionRequest, ZTerminationRequest } from '../../domain/lifecycle';
import { ZDeliveryConfirmationRequest } from '../../domain/delivery';
import { deliveryView, fileDeliveryScan } from '../../services/delivery';
import {
  confirmDeliveryUpdate,
  objectToRenewalUpdate,
  proposeAmendmentUpdate,
  signAmendmentUpdate,
  terminateContractUpdate,
} from '../../workflows/messages/contract-lifecycle';
import type { ContractRow } from '../../db/contracts';
import { organisationOfContract, withOrganisationOpen } from '../../services/organisations';
import type { AppDeps } from '../deps';
import { lifecycleHandle } from '../contract-access';
import { AppError } from '../errors';
import { refusal } from '../../domain/error-reasons';
import { defineRoute } from '../http';
import { contractDetail } from './contracts';

const ZSignAmendmentRequest = ZSignContractRequest.omit({ signedAt: true });
const ZSeq = z.coerce.number().int().min(1).max(10_000);

/** Art.3 §3: the delivery form, its confirmation deadline and Party A's confirmation (GET and POST /api/contracts/:id/delivery-confirmation). */
export async function deliveryConfirmationView(deps: Pick<AppDeps, 'db'>, contract: Pick<ContractRow, 'id' | 'workflowId'>) {
  const view = await deliveryView(deps.db, contract);
  return { ...view, form: view.form ? { ...view.form, url: `/api/contracts/${contract.id}/documents/${encodeURIComponent(view.form.id)}` } : null };
}

export function lifecycleRoutes(deps: AppDeps) {
  const actorOf = (user: { id: string; role: string }, requestId: string) => ({ id: user.id, role: user.role, requestId });
  const requireActive = (status: string, number: string, what: string) => {
    if (status !== 'active') throw refusal('contract.not_in_term', { number, status, terminating: false }, `contract ${number} is ${status}: ${what} is only possible during the term`);
  };
  /**
   * Art.8 §5, appendix: Party A's organisation frozen for a content violation
   * (on this contract or another) never opens again. The check and the
   * workflow update that records the agreement run while the check's
   * transaction holds the organisation's lock, the lock a freeze takes to
   * commit (services/organisations.ts): a freeze lands before the check or
   * after the agreement is recorded, never in between.
   */
  const whileOrganisationOpen = <T>(contract: ContractRow, refused: string, act: () => Promise<T>) =>
    withOrganisationOpen(deps.db, organisationOfContract(contract), refused, act);

  return [
    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/renewal-objections',
      roles: ['sales', 'legal', 'customer', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'object to the automatic renewal (Art.6 §1), until the term ends',
      body: ZRenewalObjectionRequest,
      handler: async ({ body, user, requestId, res, contract }) => {
        if (user.role === 'customer' && body.party !== 'A') throw new AppError('FORBIDDEN', 'a customer operator objects for party A only');
        requireActive(contract.status, contract.number, 'objecting to renewal');
        const state = await (await lifecycleHandle(deps, contract)).executeUpdate(objectToRenewalUpdate, { args: [{ ...body, actor: actorOf(user, requestId) }] });
        res.status(201);
        return contractDetail(deps, contract, state);
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/termination',
      roles: ['legal', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'terminate the contract on a date, with a reason: every pending timer and process is cancelled',
      body: ZTerminationRequest,
      handler: async ({ body, user, requestId, contract }) => {
        requireActive(contract.status, contract.number, 'termination');
        const state = await (await lifecycleHandle(deps, contract)).executeUpdate(terminateContractUpdate, { args: [{ ...body, actor: actorOf(user, requestId) }] });
        return contractDetail(deps, contract, state);
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/amendments',
      roles: ['sales', 'legal', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: 'propose a supplemental agreement (Art.6 §2); it applies once both parties sign it',
      body: ZProposeAmendmentRequest,
      handler: async ({ body, user, requestId, res, contract }) => {
        const amendment = await whileOrganisationOpen(contract, 'no supplemental agreement can be made with it', async () => {
          requireActive(contract.status, contract.number, 'a supplemental agreement');
          return (await lifecycleHandle(deps, contract)).executeUpdate(proposeAmendmentUpdate, { args: [{ ...body, actor: actorOf(user, requestId) }] });
        });
        res.status(201).location(`/api/contracts/${contract.id}/amendments/${amendment.seq}`);
        return amendment;
      },
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/amendments/:seq/signatures',
      roles: ['sales', 'legal', 'admin'],
      contract: { param: 'id', action: 'act' },
      summary: "record one party's signature and seal on a supplemental agreement",
      body: ZSignAmendmentRequest,
      handler: async ({ params, body, user, requestId, contract }) => {
        const seq = ZSeq.safeParse(params.seq);
        if (!seq.success) throw refusal('amendment.not_found', { seq: null }, 'supplemental agreement not found');
        return whileOrganisationOpen(contract, 'no supplemental agreement can be signed with it', async () => {
          requireActive(contract.status, contract.number, 'signing a supplemental agreement');
          return (await lifecycleHandle(deps, contract)).executeUpdate(signAmendmentUpdate, { args: [{ ...body, seq: seq.data, actor: actorOf(user, requestId) }] });
        });
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/delivery-confirmation',
      roles: ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'],
      contract: { param: 'id', action: 'read' },
      summary: "the delivery form (业务受理单, Art.3 §3), its confirmation deadline and Party A's confirmation",
      handler: async ({ contract }) => deliveryConfirmationView(deps, contract),
    }),

    defineRoute({
      method: 'post',
      path: '/api/contracts/:id/delivery-confirmation',
      roles: ['sales', 'admin', 'customer'],
      contract: { param: 'id', action: 'act' },
      summary:
        "Party A confirms the delivery form (业务受理单, Art.3 §3), once: signer, title, sealed and when (confirmedAt, default now), and/or a scan of the signed form (document.pdfBase64); a confirmation after the deadline is recorded as late",
      body: ZDeliveryConfirmationRequest,
      handler: async ({ body, user, requestId, res, contract }) => {
        requireActive(contract.status, contract.number, 'confirming the delivery form');
        // "not in the future" and "not before the delivery" are checked by the lifecycle, against the time its deadline runs on
        const recorded = (await deliveryView(deps.db, contract)).confirmation;
        if (recorded) {
          throw refusal(
            'delivery.already_confirmed',
            { confirmedAt: recorded.confirmedAt, signer: recorded.signer ?? null },
            `the delivery form was already confirmed on ${recorded.confirmedAt}${recorded.signer ? ` by ${recorded.signer}` : ''}`,
          );
        }
        const actor = actorOf(user, requestId);
        const { document, ...confirmation } = body;
        // the scan is stored (and audited as filed) first, as cases file their written documents
        const scan = document ? await fileDeliveryScan(deps.db, { contract, doc: document, actor }) : null;
        await (await lifecycleHandle(deps, contract)).executeUpdate(confirmDeliveryUpdate, { args: [{ ...confirmation, scan, actor }] });
        res.status(201);
        return deliveryConfirmationView(deps, contract);
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/contracts/:id/amendments',
      roles: ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'],
      contract: { param: 'id', action: 'read' },
      summary: 'supplemental agreements with their status and signatures',
      handler: async ({ contract }) => {
        return { items: await listAmendments(deps.db, contract.id) };
      },
    }),
  ];
}
