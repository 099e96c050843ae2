/**
 * The web console's build: React with Oxc's automatic JSX runtime, output to
 * console/dist, which the API serves at / (api/console.ts). The route table
 * of the API (`allRoutes`) is read at build time into `virtual:api-routes`,
 * so a page or action appears only when its endpoint exists.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

function apiRoutes(): Plugin {
  const id = 'virtual:api-routes';
  return {
    name: 'api-routes',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(resolved) {
      if (resolved !== `\0${id}`) return null;
      const json = execFileSync(process.execPath, ['--import', 'tsx', 'console/scripts/route-table.mjs'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });
      return `export default ${json};`;
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  plugins: [apiRoutes()],
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // maps are written for the team (console/build.mjs moves them out of dist/), never referenced or served
    sourcemap: 'hidden',
    chunkSizeWarningLimit: 400,
    // the route-table plugin runs the API's module graph once: slow on a busy machine, and that is fine
    rolldownOptions: {
      checks: { bundlerTimings: false },
      // React and zod change with the lockfile, not with every page: their own long-cached chunk
      output: { codeSplitting: { groups: [{ name: 'vendor', test: /node_modules[\\/](react|react-dom|scheduler|zod)[\\/]/ }] } },
    },
  },
  server: {
    // `npx vite -c console/vite.config.mts` for development, with the API from `npm start` behind it
    proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' },
  },
});
