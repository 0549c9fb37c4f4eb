/**
 * The `engines` check npm makes during install, made against the Node that actually runs the
 * code. npm compares every package's `engines.node` with the Node running npm itself (the
 * system's, often 20); every npm script here runs on the Node 24 of the `node` devDependency.
 * Covers the range syntax packages use in `engines`: `||`, comparators (`>=22`, `<27.0.0`),
 * `^`, `~`, x-ranges (`22.x`, `*`) and hyphen ranges (`20 - 24`).
 */
type Version = [number, number, number];

const parse = (text: string): (number | null)[] | null => {
  const match = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+].*)?$/.exec(text);
  if (!match) return null;
  return match.slice(1, 4).map((p) => (p === undefined || /[xX*]/.test(p) ? null : Number(p)));
};

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const floor = (p: (number | null)[]): Version => [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
/** The first version above a partial one: 22 → 23.0.0, 22.4 → 22.5.0. */
const above = (p: (number | null)[]): Version =>
  p[1] === null
    ? [(p[0] ?? 0) + 1, 0, 0]
    : p[2] === null
      ? [p[0]!, p[1]! + 1, 0]
      : [p[0]!, p[1]!, p[2]! + 1];

function comparator(version: Version, text: string): boolean | null {
  const match = /^(<=|>=|<|>|=|\^|~)?(.*)$/.exec(text)!;
  const op = match[1] ?? '';
  const p = parse(match[2]!);
  if (!p) return null;
  if (p[0] === null) return op === '' || op === '=' || op === '>=' || op === '<=';
  const c = compare(version, floor(p));
  const partial = p[1] === null || p[2] === null;
  switch (op) {
    case '>=':
      return c >= 0;
    case '>':
      return partial ? compare(version, above(p)) >= 0 : c > 0;
    case '<':
      return c < 0;
    case '<=':
      return partial ? compare(version, above(p)) < 0 : c <= 0;
    case '^': {
      const [major, minor] = floor(p);
      const ceiling: Version =
        major > 0 || p[1] === null
          ? [major + 1, 0, 0]
          : minor > 0 || p[2] === null
            ? [0, minor + 1, 0]
            : above(p);
      return c >= 0 && compare(version, ceiling) < 0;
    }
    case '~':
      return c >= 0 && compare(version, p[1] === null ? above(p) : [p[0]!, p[1]! + 1, 0]) < 0;
    default:
      return c >= 0 && (partial ? compare(version, above(p)) < 0 : c === 0);
  }
}

/** Whether `version` fits `range`; null when the range cannot be read. */
export function satisfies(version: string, range: string): boolean | null {
  const v = parse(version);
  if (!v || v.includes(null)) return null;
  const target = v as Version;
  let unreadable = false;
  for (const alternative of range.split('||')) {
    const text = alternative.trim().replace(/(<=|>=|<|>|=|\^|~)\s+/g, '$1');
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const parts = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text.split(/\s+/).filter(Boolean);
    const results = parts.length === 0 ? [true] : parts.map((part) => comparator(target, part));
    if (results.includes(null)) unreadable = true;
    else if (results.every(Boolean)) return true;
  }
  return unreadable ? null : false;
}

export type EngineProblem = {
  name: string;
  engine: 'node' | 'npm';
  required: string;
  current: string;
};

/**
 * Every installed package (from package-lock.json's `packages`) whose `engines.node` or
 * `engines.npm` does not accept these versions, or cannot be read. Optional packages for
 * other platforms are listed in the lockfile but not installed: `installed` says which are.
 */
export function engineProblems(
  lock: { packages: Record<string, { name?: string; engines?: unknown; optional?: boolean }> },
  versions: { node: string; npm: string | null },
  installed: (path: string) => boolean,
): { checked: number; problems: EngineProblem[] } {
  // checked: installed dependencies (this project itself is checked too, not counted)
  const problems: EngineProblem[] = [];
  let checked = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !installed(path)) continue;
    if (path !== '') checked++;
    const engines = (entry.engines ?? {}) as Record<string, unknown>;
    const name = entry.name ?? (path.split('node_modules/').at(-1) || '(this project)');
    for (const engine of ['node', 'npm'] as const) {
      const required = engines[engine];
      const current = versions[engine];
      if (typeof required !== 'string' || current === null) continue;
      if (satisfies(current, required) !== true) problems.push({ name, engine, required, current });
    }
  }
  return { checked, problems };
}
