/** Generated POST bodies (test/property/post-bodies.ts) for the routes with a valid body to mutate. */
import { generatedPostBodies, TEMPLATED_PATHS } from './post-bodies';

generatedPostBodies('templated', TEMPLATED_PATHS);
