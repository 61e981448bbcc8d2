/**
 * Every TypeScript block of README.md runs as written, as a user would paste it into a file of
 * their own (importing `otel-prom-bridge` by its package name, from the built `dist/`), and does what
 * its comments promise:
 * - `// curl <host:port/path> → <line>`: that URL serves a body with that line;
 * - `console.log(...); // → <line>`: the program prints that line.
 * Ports the blocks use (9464, 3000, 9465...) are swapped for free ones; nothing else is changed.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../helpers/freePorts.ts';
import { pollUntil } from '../helpers/pollUntil.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** Inside the package, so that `import 'otel-prom-bridge'` resolves to it by its name (package self-reference); git-ignored. */
const RUN_DIR = join(ROOT, '.tmp', 'readme');
const WAIT_MS = 15_000;

interface Block {
  readonly line: number;
  readonly code: string;
}

function typescriptBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```ts\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match !== null; match = fence.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, match.index).split('\n').length, code: match[1]! });
  }
  return blocks;
}

/** The URLs a block promises lines at, and the lines it promises to print. */
function promisesOf(code: string): { readonly served: { url: string; line: string }[]; readonly printed: string[] } {
  const served = [...code.matchAll(/\/\/ curl (\S+) → (.+)$/gm)].map((m) => ({ url: m[1]!, line: m[2]!.trim() }));
  const printed = [...code.matchAll(/console\.log\(.*\/\/ → (.+)$/gm)].map((m) => m[1]!.trim());
  return { served, printed };
}

/** Each port number the block listens on or names in a URL (four or five digits), once. */
function portsOf(code: string): number[] {
  const ports = new Set<number>();
  for (const m of code.matchAll(/\bport: (\d{4,5})\b|\.listen\((\d{4,5})\)|localhost:(\d{4,5})/g)) ports.add(Number(m[1] ?? m[2] ?? m[3]));
  return [...ports];
}

function run(file: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return { child, output: () => output };
}

async function bodyOf(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200 ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

const blocks = typescriptBlocks(README);

describe('README: every TypeScript block runs and does what its comments say', () => {
  it('has blocks, and each promises something to check', () => {
    assert.ok(blocks.length >= 4, `found ${blocks.length} blocks`);
    for (const block of blocks) {
      const { served, printed } = promisesOf(block.code);
      assert.ok(served.length + printed.length > 0, `README.md:${block.line}: a block with nothing to check (add a "// curl … → …" or "// → …" comment)`);
    }
  });

  for (const [index, block] of blocks.entries()) {
    it(`README.md:${block.line}`, { timeout: 60_000 }, async () => {
      const ports = portsOf(block.code);
      const free = await freePorts(ports.length);
      let code = block.code;
      // Through placeholders: a free port may contain another of the block's ports (39465 and 9465).
      ports.forEach((port, i) => (code = code.replace(new RegExp(`\\b${port}\\b`, 'g'), `\u0000${i}\u0000`)));
      ports.forEach((_, i) => (code = code.replaceAll(`\u0000${i}\u0000`, String(free[i]))));
      mkdirSync(RUN_DIR, { recursive: true });
      const file = join(RUN_DIR, `block-${index}.mts`);
      writeFileSync(file, code);
      const { child, output } = run(file);
      try {
        const { served, printed } = promisesOf(code);
        for (const { url, line } of served) {
          await pollUntil(
            `${url} to serve "${line}" (README.md:${block.line}; output so far: ${output()})`,
            async () => {
              if (child.exitCode !== null) assert.fail(`README.md:${block.line} exited with ${child.exitCode}:\n${output()}`);
              const body = await bodyOf(`http://${url}`);
              return body?.split('\n').includes(line) === true ? true : undefined;
            },
            WAIT_MS,
            100,
          );
        }
        for (const line of printed) {
          await pollUntil(`README.md:${block.line} to print "${line}"`, () => (output().split('\n').includes(line) ? true : undefined), WAIT_MS, 50);
        }
        assert.doesNotMatch(output(), /Error|error:/, `README.md:${block.line} wrote an error:\n${output()}`);
      } finally {
        child.kill('SIGKILL');
        await rm(file, { force: true });
      }
    });
  }
});
