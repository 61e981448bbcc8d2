import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cruise, type ICruiseResult } from 'dependency-cruiser';

// The rules `npm run lint` applies, run here on small trees that break them: the check must fail.
const rules = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as { forbidden: unknown[] };
const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

async function violationsIn(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'layers-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const previous = process.cwd();
  process.chdir(root);
  try {
    const { output } = await cruise(['src'], { ruleSet: { forbidden: rules.forbidden } as never, validate: true, tsPreCompilationDeps: true });
    return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  } finally {
    process.chdir(previous);
  }
}

describe('the layers lint keeps', () => {
  it('passes imports that point downstream', async () => {
    const found = await violationsIn({
      'src/model/store.ts': "import { name } from '../translate/name.ts';\nexport const store = name;\n",
      'src/translate/name.ts': "import type { Point } from '../otelData/otelData.ts';\nexport const name = (p?: Point) => String(p);\n",
      'src/otelData/otelData.ts': 'export interface Point { value: number }\n',
    });
    assert.deepEqual(found, []);
  });

  it('refuses an import from a lower layer to a higher one', async () => {
    const found = await violationsIn({
      'src/model/store.ts': "import { serve } from '../server/serve.ts';\nexport const store = serve;\n",
      'src/server/serve.ts': 'export const serve = 1;\n',
    });
    assert.deepEqual(found, ['upstream-import:src/model/: src/model/store.ts → src/server/serve.ts']);
  });

  it('refuses an import between two folders of one layer', async () => {
    const found = await violationsIn({
      'src/otel/reader.ts': "import { sidecar } from '../sidecar/sidecar.ts';\nexport const reader = sidecar;\n",
      'src/sidecar/sidecar.ts': 'export const sidecar = 1;\n',
    });
    assert.deepEqual(found, ['upstream-import:src/otel/: src/otel/reader.ts → src/sidecar/sidecar.ts']);
  });

  it('refuses a cycle, even inside one folder and through type imports', async () => {
    const found = await violationsIn({
      'src/model/a.ts': "import type { B } from './b.ts';\nexport interface A { b?: B }\n",
      'src/model/b.ts': "import type { A } from './a.ts';\nexport interface B { a?: A }\n",
    });
    assert.deepEqual(found, ['no-cycles: src/model/a.ts → src/model/b.ts']);
  });

  it('refuses a folder that has no layer yet', async () => {
    const found = await violationsIn({
      'src/extras/thing.ts': "import { name } from '../translate/name.ts';\nexport const thing = name;\n",
      'src/translate/name.ts': 'export const name = 1;\n',
    });
    assert.deepEqual(found, ['layer-unknown: src/extras/thing.ts → src/translate/name.ts']);
  });
});
