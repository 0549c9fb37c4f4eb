import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * patches/@remix-run+dev+2.17.5.patch (decision 0070, addendum 2): Remix's browser build puts
 * an empty stand-in where app code imports a `.server` module. Unpatched, esbuild must keep
 * each stand-in (a CommonJS module may have effects), so every page paid one tiny chunk per
 * `.server` module its route imported. The patch marks the stand-ins free of side effects, so
 * an import whose bindings the browser never uses disappears. This test runs Remix's own
 * plugin under the esbuild Remix uses and tells the two apart by the output.
 */
type Plugin = { name: string; setup(build: unknown): void };
type EmptyModules = {
  emptyModulesPlugin(ctx: { config: { appDirectory: string } }, filter: RegExp): Plugin;
};
type Esbuild = {
  build(
    options: Record<string, unknown>,
  ): Promise<{ outputFiles: { path: string; text: string }[] }>;
};

const fromHere = createRequire(import.meta.url);
const devIndex = fromHere.resolve('@remix-run/dev');
const fromDev = createRequire(devIndex);
const { emptyModulesPlugin } = fromDev('./compiler/plugins/emptyModules.js') as EmptyModules;
const esbuild = fromDev('esbuild') as Esbuild;

/** `route` as a route module; the entry takes only its default export, as Remix's browser build does. */
async function bundle(route: string) {
  const app = mkdtempSync(join(tmpdir(), 'empty-modules-'));
  try {
    writeFileSync(join(app, 'db.server.ts'), 'export const query = () => 1;\n');
    writeFileSync(join(app, 'route.ts'), route);
    writeFileSync(join(app, 'entry.ts'), "export { default } from './route.ts';\n");
    const result = await esbuild.build({
      entryPoints: [join(app, 'entry.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      splitting: true,
      outdir: join(app, 'out'),
      plugins: [emptyModulesPlugin({ config: { appDirectory: app } }, /\.server(\.[jt]sx?)?$/)],
    });
    return result.outputFiles.map((f) => f.text).join('\n');
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

describe('the empty-modules patch', () => {
  it('drops a `.server` stand-in whose bindings the browser never uses', async () => {
    const code = await bundle(
      "import { query } from './db.server.ts';\nexport const loader = () => query;\nexport default 1;\n",
    );
    // Nothing left of the stand-in: neither its CommonJS wrapper nor its empty exports.
    expect(code).not.toContain('module.exports');
    expect(code).not.toContain('__commonJS');
  });

  it('keeps a stand-in that browser code does use (the mistake stays visible)', async () => {
    const code = await bundle(
      "import { query } from './db.server.ts';\nconsole.log(query);\nexport default 1;\n",
    );
    expect(code).toContain('__commonJS');
  });
});
