/** Generated POST bodies (test/property/post-bodies.ts) for the routes that get arbitrary JSON only. */
import { generatedPostBodies, POST_PATHS, TEMPLATED_PATHS } from './post-bodies';

generatedPostBodies('other', POST_PATHS.filter((path) => !TEMPLATED_PATHS.includes(path)));
