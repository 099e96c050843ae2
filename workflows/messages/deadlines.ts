/**
 * The query every deadline-holding workflow answers, so the API can read any
 * deadline live without knowing which workflow holds it.
 */
import { defineQuery } from '@temporalio/workflow';
import type { DeadlineState } from '../../domain/contract';

export const getDeadlinesQuery = defineQuery<DeadlineState[]>('getDeadlinesQuery');
