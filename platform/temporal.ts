/**
 * Temporal client side: connecting, and mapping what the server says into the
 * system's error codes.
 */
import {
  Client,
  Connection,
  type WorkflowClientInterceptor,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, defaultPayloadConverter, type DataConverter } from '@temporalio/common';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { ACTOR_ASSERTION_HEADER, assertionKeyFromHex, signAssertion } from '../domain/actor-assertion';
import { reasonOfDetails, type ErrorReason } from '../domain/error-reasons';
import { isErrorCode, type ErrorCode } from '../domain/errors';
import type { Config } from './config';

/**
 * Where the worker's and the API's connections go and how (the same options
 * fit the client's `Connection` and the worker's `NativeConnection`): the
 * address, or the dev server `npm start` runs on TEMPORAL_PORT, and TLS as
 * TEMPORAL_TLS_* say: the server's certificate checked against TEMPORAL_TLS_CA
 * (else the system's roots) for TEMPORAL_TLS_SERVER_NAME (else the address's
 * host), our client certificate presented (mTLS).
 */
export function temporalConnectionOptions(temporal: Pick<Config['temporal'], 'address' | 'port' | 'tls'>): { address: string; tls?: TLSConfig } {
  const address = temporal.address ?? `127.0.0.1:${temporal.port}`;
  const t = temporal.tls;
  if (!t) return { address };
  return {
    address,
    tls: {
      ...(t.serverName ? { serverNameOverride: t.serverName } : {}),
      ...(t.ca ? { serverRootCACertificate: t.ca } : {}),
      ...(t.clientCert ? { clientCertPair: { crt: t.clientCert.crt, key: t.clientCert.key } } : {}),
    },
  };
}

export type TemporalOptions = { address: string; namespace: string; tls?: TLSConfig; dataConverter?: DataConverter };

/** The API's client (and the worker's own, for the starts its activities make), with the payload codec of platform/payload-codec.ts. */
export async function connectClient(options: TemporalOptions): Promise<Client> {
  const connection = await Connection.connect({ address: options.address, tls: options.tls, connectTimeout: '5 seconds' });
  return new Client({ connection, namespace: options.namespace, dataConverter: options.dataConverter });
}

export { WorkflowExecutionAlreadyStartedError };

/**
 * Signs every update this client sends (the `actor-assertion` header:
 * domain/actor-assertion.ts), stamped with `clock`: the wall clock, which is
 * the Temporal server's; on the time-skipping test server, its own clock.
 */
export function actorAssertionSigner(keyHex: string, clock: () => number | Promise<number> = Date.now): WorkflowClientInterceptor {
  const key = assertionKeyFromHex(keyHex);
  return {
    async startUpdate(input, next) {
      const assertion = signAssertion(key, { workflowId: input.workflowExecution.workflowId, updateName: input.updateName, args: input.args, issuedAt: await clock() });
      return next({ ...input, headers: { ...input.headers, [ACTOR_ASSERTION_HEADER]: defaultPayloadConverter.toPayload(assertion) } });
    },
  };
}

/**
 * The same client (connection, namespace, interceptors) that also signs its
 * updates: what the API acts through, so every update it sends is proven.
 */
export function withActorAssertions(client: Client, keyHex: string, clock?: () => number | Promise<number>): Client {
  // a stand-in that never reaches a server (an app serving only the console) has nothing to sign, and no key
  if (!client?.options) return client;
  return withWorkflowInterceptors(client, [actorAssertionSigner(keyHex, clock)]);
}

/** The same client (connection, namespace, interceptors) with `added` run after its own interceptors. */
export function withWorkflowInterceptors(client: Client, added: WorkflowClientInterceptor[]): Client {
  // a stand-in that never reaches a server (an app serving only the console) has nothing to intercept
  if (!client?.options) return client;
  const workflow = client.options.interceptors.workflow;
  const existing = Array.isArray(workflow) ? workflow : [];
  return new Client({
    connection: client.connection,
    namespace: client.options.namespace,
    dataConverter: client.options.dataConverter,
    interceptors: { ...client.options.interceptors, workflow: [...existing, ...added] },
  });
}

/** A business failure thrown by a workflow (validator or handler), as an error code and message. */
export function businessFailureOf(error: unknown): { code: ErrorCode; message: string; reason: ErrorReason | null } | null {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    // the refusal's reason and parameters travel as the failure's first detail (domain/error-reasons.ts reasonDetails)
    const of = (failure: ApplicationFailure) => reasonOfDetails(failure.details?.[0]);
    // a write the tables refused inside an activity the update ran keeps its error code
    if (cause instanceof ActivityFailure && cause.cause instanceof ApplicationFailure && isErrorCode(cause.cause.type)) {
      return { code: cause.cause.type, message: cause.cause.message, reason: of(cause.cause) };
    }
    if (cause instanceof ApplicationFailure && isErrorCode(cause.type)) return { code: cause.type, message: cause.message, reason: of(cause) };
    if (cause instanceof ApplicationFailure) return { code: 'BUSINESS_RULE', message: cause.message, reason: null };
  }
  if (error instanceof WorkflowNotFoundError) {
    return { code: 'INVALID_STATE', message: 'the contract process is no longer running', reason: { id: 'contract.process_ended', params: {} } };
  }
  return null;
}

/** True for errors that mean "Temporal is not reachable right now" (→ 503). */
export function isTemporalUnavailable(error: unknown): boolean {
  const e = error as { code?: number; message?: string } | undefined;
  // gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4)
  return Boolean(e && (e.code === 14 || e.code === 4 || /UNAVAILABLE|DEADLINE_EXCEEDED|Failed to connect/i.test(e.message ?? '')));
}
