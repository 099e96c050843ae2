/**
 * Every update a workflow accepts carries the API's signed actor assertion
 * (domain/actor-assertion.ts); anything else — an update sent straight to the
 * Temporal frontend, a copy of a real one with other arguments, an old one —
 * is refused by its validator before it enters history, so it changes
 * nothing. The key reaches the sandbox compiled into the bundle
 * (worker/index.ts `workflowBundleOptions`): no Node built-in, no I/O.
 * Validators never run on replay, so rotating the key cannot break a history.
 */
import {
  ApplicationFailure,
  defaultPayloadConverter,
  workflowInfo,
  type Next,
  type UpdateInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { ACTOR_ASSERTION_HEADER, assertionKeyFromHex, checkAssertion } from '../domain/actor-assertion';

declare const __ACTOR_ASSERTION_KEY_HEX__: string | undefined;

let key: Uint8Array | null | undefined;
const bundledKey = (): Uint8Array | null => {
  if (key !== undefined) return key;
  try {
    key = assertionKeyFromHex(typeof __ACTOR_ASSERTION_KEY_HEX__ === 'string' ? __ACTOR_ASSERTION_KEY_HEX__ : '');
  } catch {
    key = null;
  }
  return key;
};

class ActorAssertionInbound implements WorkflowInboundCallsInterceptor {
  validateUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'validateUpdate'>): void {
    const k = bundledKey();
    if (!k) throw ApplicationFailure.nonRetryable('refused: this worker was bundled without an actor assertion key', 'UNAUTHENTICATED');
    const header = input.headers[ACTOR_ASSERTION_HEADER];
    const assertion = header ? defaultPayloadConverter.fromPayload(header) : undefined;
    const why = checkAssertion(k, assertion, { workflowId: workflowInfo().workflowId, updateName: input.name, args: input.args }, Date.now());
    if (why) throw ApplicationFailure.nonRetryable(`refused: ${why}`, 'UNAUTHENTICATED');
    next(input);
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [new ActorAssertionInbound()] });
