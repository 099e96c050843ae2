/**
 * The modules every workflow shares instead of instantiating its own copy.
 *
 * With the reusable V8 context each workflow normally gets a fresh instance
 * of every module it imports: the zod schemas the domain modules build at
 * import, the holiday calendar's day index, the SMS rules. That is most of a
 * new workflow's first task and ≈ 1.6 MiB of heap per cached workflow. The
 * worker preloads this module (bundler `preloadModules`) once per workflow
 * thread, before any workflow runs, so it and everything it imports land in
 * the shared module cache, frozen.
 *
 * Only pure, stateless modules belong here: constants and functions of their
 * arguments, nothing that keeps per-workflow state or reads the clock at
 * import. Workflows never parse with the schemas they reach this way (a
 * frozen zod schema cannot cache its lazily built parts); validation happens
 * in the API and the activities. test/unit/workflow-bundle.test.ts fails when
 * a workflow imports a domain module that is not listed here.
 */
import '../domain/billing';
import '../domain/calendar';
import '../domain/catch-up';
import '../domain/contract';
import '../domain/delivery';
import '../domain/error-reasons';
import '../domain/errors';
import '../domain/legal';
import '../domain/lifecycle';
import '../domain/money';
import '../domain/periods';
import '../domain/sms/dispatch';
import '../domain/sms/windows';
import '../domain/terms';
import '../domain/time';
import '../domain/actor-assertion';
