/**
 * A small Dockerfile reader for the tests: stages and their instructions (continuation lines
 * joined, comments and parser directives left out), and a .dockerignore matcher. Enough for the
 * instructions this repository's Dockerfile uses, not a full BuildKit parser.
 */

export interface Instruction {
  /** Upper case: FROM, RUN, COPY, ... */
  readonly keyword: string;
  /** The text after the keyword, flags included. */
  readonly args: string;
  /** `--name=value` flags at the start of args (COPY --from=build, HEALTHCHECK --interval=10s). */
  readonly flags: Readonly<Record<string, string>>;
  /** The args after the flags. */
  readonly rest: string;
  /** The exec form (a JSON array), when rest is one. */
  readonly exec: readonly string[] | undefined;
  readonly line: number;
}

export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let logical = lines[i]!.trim();
    if (logical === '' || logical.startsWith('#')) continue;
    // Continuation lines; comment lines inside a continued instruction are skipped, as Docker does.
    while (logical.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i]!.trim();
      if (next.startsWith('#')) {
        logical = `${logical.slice(0, -1)}\\`;
        continue;
      }
      logical = `${logical.slice(0, -1).trimEnd()} ${next}`;
    }
    const match = /^(\S+)\s*(.*)$/.exec(logical);
    if (match === null) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    const { flags, rest } = splitFlags(args);
    const instruction: Instruction = { keyword, args, flags, rest, exec: execForm(rest), line: start };
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (from === null) throw new Error(`line ${start}: cannot read FROM ${rest}`);
      stages.push({ from: from[1]!, name: from[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) {
      if (keyword === 'ARG') continue; // ARG before the first FROM
      throw new Error(`line ${start}: ${keyword} before FROM`);
    }
    stage.instructions.push(instruction);
  }
  return stages;
}

function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (;;) {
    const match = /^--([a-z-]+)=(\S+)\s*/.exec(rest);
    if (match === null) return { flags, rest };
    flags[match[1]!] = match[2]!;
    rest = rest.slice(match[0].length);
  }
}

function execForm(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(rest);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `KEY=value KEY2="v w"` pairs (LABEL, ENV, ARG). */
export function parsePairs(args: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  const pattern = /([A-Za-z0-9_.-]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const match of args.matchAll(pattern)) {
    const raw = match[2]!;
    pairs[match[1]!] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  }
  return pairs;
}

/**
 * Whether `.dockerignore` keeps `path` (relative, `/`-separated) in the build context: the last
 * matching pattern wins, `!` re-includes, a pattern matching a parent directory covers its files.
 * Patterns: `*` within one path segment, `**` across segments.
 */
export function isInContext(dockerignore: string, path: string): boolean {
  const patterns = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const segments = path.split('/');
  const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  let included = true;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const regex = new RegExp(`^${pattern.split('**').map((part) => part.split('*').map(escapeRegex).join('[^/]*')).join('.*')}$`);
    if (prefixes.some((prefix) => regex.test(prefix))) included = negated;
  }
  return included;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
