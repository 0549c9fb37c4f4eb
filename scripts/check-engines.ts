/**
 * Runs after `npm ci` (postinstall). npm checked every package's `engines` against the Node
 * that runs npm — the system's — and would warn about packages that run on the Node 24 of the
 * `node` devDependency anyway; .npmrc (loglevel=error) hides those false warnings. This makes
 * the check against the Node that runs every npm script instead, and fails the install loudly
 * if a package does not fit. See docs/decisions/0019-quiet-install.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { engineProblems } from './lib/engines.ts';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
// npm's user agent: "npm/11.19.1 node/v20.20.2 linux x64 …" (npm's version and npm's Node).
const agent = process.env.npm_config_user_agent ?? '';
const npmVersion = /\bnpm\/(\S+)/.exec(agent)?.[1] ?? null;
const npmNode = /\bnode\/(\S+)/.exec(agent)?.[1] ?? 'unknown';
const { checked, problems } = engineProblems(
  lock,
  { node: process.version, npm: npmVersion },
  (path) => existsSync(path),
);
if (problems.length > 0) {
  console.error(
    `engines: these packages do not run on Node ${process.version} / npm ${npmVersion}:`,
  );
  for (const p of problems)
    console.error(`  ${p.name}: engines.${p.engine} ${p.required} (have ${p.current})`);
  process.exit(1);
}
console.log(
  `engines: this project and its ${checked} packages accept Node ${process.version}, which runs every npm script` +
    ` (from the "node" devDependency; npm itself ran on Node ${npmNode})` +
    (npmVersion ? `, and npm ${npmVersion}` : ''),
);
