import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * A fresh clone is self-contained: every relative link in the README and in docs/ leads to a
 * file or folder of this repository.
 */
const root = resolve('.');
const markdown = [
  'README.md',
  ...readdirSync('docs', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

function relativeLinks(file: string): string[] {
  // Code (fenced blocks and inline spans) shows text, it links nowhere.
  const text = readFileSync(file, 'utf8')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((href) => !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('#'));
}

describe('documentation links', () => {
  it.each(markdown)('%s links only to files inside the repository', (file) => {
    const broken = relativeLinks(file).filter((href) => {
      const target = resolve(dirname(file), decodeURIComponent(href.split('#')[0]!));
      return relative(root, target).startsWith('..') || !existsSync(target);
    });
    expect(broken).toEqual([]);
  });

  it('the README links the architecture and the decisions', () => {
    const links = relativeLinks('README.md');
    expect(links).toContain('docs/architecture.md');
    expect(links).toContain('docs/decisions/');
  });
});
