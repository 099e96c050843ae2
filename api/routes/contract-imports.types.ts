/**
 * What POST /api/contract-imports answers, as types only (no runtime code):
 * the web console imports them (`import type`); each is defined once, in
 * services/contract-imports.types.ts (types only too), since the module of
 * services/contract-imports.ts (workflows) is not one the console's typecheck
 * loads.
 */
import type { ImportAnswer, ImportPlanView as PlanView, ImportResult } from '../../services/contract-imports.types';

/** Where an imported contract would stand (planView in services/contract-imports.ts). */
export type ImportPlanView = PlanView;

/** One row's outcome. */
export type ImportResultView = ImportResult;

/** POST /api/contract-imports */
export type ImportAnswerView = ImportAnswer;
