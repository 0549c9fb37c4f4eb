import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Who may import whom, read from the import statements themselves:
 * - db/ is the pool, the embedded server, the migrator and the migrations: it knows no app
 *   code (nor jobs, scripts or the composition root), so a migration or a script can load it
 *   without the app, and the app cannot creep into a migration;
 * - app/server/ is the composition root (start-up wiring, the HTTP front): it may import
 *   anything, and nothing but server.ts imports it;
 * - scripts/ (the demo seed among them) are entry points: only the composition root calls one
 *   (the demo seed on the first start).
 */

const sourceFile = /\.(ts|tsx|js|mjs)$/;

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((f) => join(root, f))
    .filter((f) => sourceFile.test(f) && !f.includes('node_modules'));
}

/** The repository paths a file imports (relative specifiers only; packages are not ours). */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const specifiers = [
    ...text.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g),
    ...text.matchAll(/\bimport\s*\(\s*[`'"](\.{1,2}\/[^`'"$]+)/g),
  ].map((m) => m[1]!);
  return [...new Set(specifiers.map((s) => normalize(join(dirname(file), s))))];
}

const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

function offenders(from: string[], forbidden: string[]): string[] {
  return from.flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((folder) => within(target, folder)))
      .map((target) => `${file} imports ${target}`),
  );
}

describe('layers', () => {
  it('reads relative imports, static and dynamic', () => {
    const text = [
      "import { a } from '../../app/x.ts';",
      "import type { B } from './b.ts';",
      "import './side-effect.ts';",
      "const c = await import('../../jobs/c.ts');",
      "import postgres from 'postgres';",
    ].join('\n');
    expect(importsOf('db/seed/demo.ts', text).sort()).toEqual(
      ['app/x.ts', 'db/seed/b.ts', 'db/seed/side-effect.ts', 'jobs/c.ts'].sort(),
    );
  });

  it('db/ imports no app code, jobs, scripts or the composition root', () => {
    const db = files('db');
    expect(db).toContain('db/connection.ts');
    expect(db.some((f) => f.startsWith('db/migrations/'))).toBe(true);
    expect(offenders(db, ['app', 'jobs', 'scripts', 'server.ts', 'e2e', 'bench'])).toEqual([]);
  });

  it('migrations import nothing of the repository at all: they are frozen in time', () => {
    const migrations = files('db/migrations');
    expect(migrations.flatMap((f) => importsOf(f).map((t) => `${f} imports ${t}`))).toEqual([]);
  });

  it('only server.ts imports the composition root', () => {
    const everything = ['app', 'db', 'jobs', 'scripts', 'bench', 'e2e', 'test']
      .flatMap(files)
      .filter((f) => !within(f, 'app/server'));
    expect(everything.length).toBeGreaterThan(200);
    expect(offenders(everything, ['app/server'])).toEqual([]);
    expect(importsOf('server.ts')).toContain('app/server/runtime.server.ts');
  });

  it('app code and jobs call no script; the composition root calls only the demo seed', () => {
    const app = [...files('app'), ...files('jobs')].filter((f) => !within(f, 'app/server'));
    expect(offenders(app, ['scripts'])).toEqual([]);
    expect(offenders(files('app/server'), ['scripts'])).toEqual([
      'app/server/runtime.server.ts imports scripts/seed/demo.ts',
    ]);
  });
});
