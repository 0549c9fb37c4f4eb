import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineProblems, satisfies } from '../scripts/lib/engines.ts';

describe('engines ranges', () => {
  it.each([
    ['24.21.0', '>=24', true],
    ['20.20.2', '>=24', false],
    ['24.21.0', '>=22.12.0', true],
    ['22.11.9', '>=22.12.0', false],
    ['24.21.0', '^22.12.0 || ^24.0.0 || >=26.0.0', true],
    ['25.0.0', '^22.12.0 || ^24.0.0 || >=26.0.0', false],
    ['26.1.0', '^22.12.0 || ^24.0.0 || >=26.0.0', true],
    ['24.21.0', '>= 18', true],
    ['24.21.0', '>=18 <24', false],
    ['23.9.9', '>=18 <24', true],
    ['24.21.0', '<=24', true],
    ['25.0.0', '<=24', false],
    ['24.0.0', '>23', true],
    ['23.5.0', '>23', false],
    ['24.21.0', '~24.21.0', true],
    ['24.22.0', '~24.21.0', false],
    ['24.21.0', '24.x', true],
    ['25.0.0', '24', false],
    ['24.21.0', '*', true],
    ['24.21.0', '', true],
    ['24.21.0', '20 - 24', true],
    ['25.0.0', '20 - 24', false],
    ['0.3.5', '^0.3.1', true],
    ['0.4.0', '^0.3.1', false],
  ] as const)('%s fits %j: %s', (version, range, fits) => {
    expect(satisfies(version, range)).toBe(fits);
  });

  it('an unreadable range is neither accepted nor refused', () => {
    expect(satisfies('24.21.0', 'node lts')).toBeNull();
  });
});

describe('engineProblems', () => {
  const lock = {
    packages: {
      '': { name: 'madoguchi', engines: { node: '>=24' } },
      'node_modules/a': { engines: { node: '>=22' } },
      'node_modules/b': { engines: { node: '>=26', npm: '>=10' } },
      'node_modules/c/node_modules/d': { engines: { npm: '>=12' } },
      'node_modules/@x/darwin': { optional: true, engines: { node: '>=99' } },
      'node_modules/e': {},
    },
  };
  it('lists every installed package whose engines refuse the versions, and skips the rest', () => {
    const result = engineProblems(
      lock,
      { node: 'v24.21.0', npm: '11.19.1' },
      (path) => !path.includes('darwin'),
    );
    expect(result.checked).toBe(4);
    expect(result.problems).toEqual([
      { name: 'b', engine: 'node', required: '>=26', current: 'v24.21.0' },
      { name: 'd', engine: 'npm', required: '>=12', current: '11.19.1' },
    ]);
  });

  it('this project’s lockfile fits the Node of the "node" devDependency', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const lockfile = JSON.parse(readFileSync('package-lock.json', 'utf8'));
    const node = pkg.devDependencies.node as string;
    expect(process.versions.node).toBe(node);
    const { problems } = engineProblems(lockfile, { node, npm: null }, (path) =>
      path === '' ? true : !lockfile.packages[path].optional,
    );
    expect(problems).toEqual([]);
  });
});
