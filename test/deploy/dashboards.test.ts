/**
 * The Grafana dashboards' JSON: what Grafana needs to load them (schemaVersion, unique uids and
 * panel ids, datasource references through the `datasource` variable, the `job` and `instance`
 * variables, a unit on every panel, panels inside the 24-column grid and not overlapping), and
 * that each file is exactly what dashboards/generateDashboards.ts writes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DASHBOARDS, renderDashboardFile } from '../../dashboards/generateDashboards.ts';
import { allPanels, BUILTIN_VALUES, loadDashboards, parseLabelValues, variableReferences, type Panel } from './dashboardModel.ts';

const files = loadDashboards();
const DATASOURCE_VARIABLE = '${datasource}';

describe('the dashboards', () => {
  it('are the three the generator writes, byte for byte (regenerate with `node dashboards/generateDashboards.ts`)', () => {
    assert.deepEqual(files.map((f) => f.file), DASHBOARDS.map((spec) => spec.file).sort());
    for (const spec of DASHBOARDS) {
      const file = files.find((f) => f.file === spec.file);
      assert.equal(file?.text, renderDashboardFile(spec), `${spec.file} differs from what the generator writes`);
    }
  });

  it('show remote write on the bridge\'s dashboard, in a row of its own, each panel reading otel_prom_bridge_remote_write_*', () => {
    const bridge = files.find((f) => f.dashboard.uid === 'otel-prom-bridge-self');
    assert.ok(bridge);
    const panels = allPanels(bridge.dashboard);
    const row = panels.findIndex((panel) => panel.type === 'row' && panel.title === 'Remote write');
    assert.ok(row >= 0, 'a "Remote write" row');
    const after = panels.slice(row + 1);
    const metrics = new Set(after.flatMap((panel) => (panel.targets ?? []).flatMap((target) => target.expr.match(/otel_prom_bridge_remote_write_[a-z_]+/g) ?? [])));
    for (const panel of after) assert.ok((panel.targets ?? []).every((target) => target.expr.includes('otel_prom_bridge_remote_write_')), `"${panel.title}" reads remote write's metrics`);
    for (const metric of ['samples_sent_total', 'samples_dropped_total', 'samples_retried_total', 'queue_samples', 'shards', 'lag_seconds', 'protocol_fallbacks_total']) {
      assert.ok(metrics.has(`otel_prom_bridge_remote_write_${metric}`), `a panel shows otel_prom_bridge_remote_write_${metric}`);
    }
  });

  it('have stable, unique uids Grafana accepts (at most 40 characters)', () => {
    const uids = files.map((f) => f.dashboard.uid);
    assert.deepEqual(uids.sort(), ['otel-prom-bridge-runtime', 'otel-prom-bridge-self', 'otel-prom-bridge-services']);
    for (const uid of uids) assert.match(uid, /^[a-zA-Z0-9_-]{1,40}$/);
    assert.equal(new Set(files.map((f) => f.dashboard.title)).size, files.length, 'titles are unique');
  });

  for (const { file, dashboard } of files) {
    describe(file, () => {
      const panels = allPanels(dashboard);
      const variables = dashboard.templating.list;

      it('has schemaVersion 39 and panels', () => {
        assert.equal(dashboard.schemaVersion, 39);
        assert.ok(panels.length >= 8, `${panels.length} panels`);
      });

      it('has the datasource, job and instance variables, the last two from label_values through the datasource variable', () => {
        assert.deepEqual(variables.map((v) => v.name), ['datasource', 'job', 'instance']);
        const [datasource, job, instance] = variables;
        assert.equal(datasource?.type, 'datasource');
        assert.equal(datasource?.query, 'prometheus');
        for (const variable of [job, instance]) {
          assert.equal(variable?.type, 'query');
          assert.deepEqual(variable?.datasource, { type: 'prometheus', uid: DATASOURCE_VARIABLE });
          assert.ok(variable !== undefined && parseLabelValues(variable) !== undefined, `${variable?.name}: label_values(...)`);
        }
        assert.equal(parseLabelValues(job!)?.label, 'job');
        assert.equal(parseLabelValues(instance!)?.label, 'instance');
        assert.match(parseLabelValues(instance!)?.selector ?? '', /job=~"\$job"/);
      });

      it('has unique panel ids', () => {
        const ids = panels.map((panel) => panel.id);
        for (const id of ids) assert.ok(Number.isInteger(id) && id > 0, `panel id ${id}`);
        assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(', ')}`);
      });

      it('sets a unit and the datasource variable on every panel and target (rows, which only title the panels after them, aside)', () => {
        for (const panel of panels.filter((p) => p.type !== 'row')) {
          assert.ok((panel.fieldConfig?.defaults?.unit ?? '') !== '', `"${panel.title}" has no unit`);
          assert.deepEqual(panel.datasource, { type: 'prometheus', uid: DATASOURCE_VARIABLE }, `"${panel.title}" datasource`);
          assert.ok((panel.targets ?? []).length > 0, `"${panel.title}" has no targets`);
          const refIds = (panel.targets ?? []).map((target) => target.refId);
          assert.equal(new Set(refIds).size, refIds.length, `"${panel.title}" refIds`);
          for (const target of panel.targets ?? []) {
            assert.deepEqual(target.datasource, { type: 'prometheus', uid: DATASOURCE_VARIABLE }, `"${panel.title}" ${target.refId} datasource`);
            assert.ok(target.expr.trim() !== '', `"${panel.title}" ${target.refId} has no expr`);
          }
        }
      });

      it('filters every query by $job and $instance and uses only defined variables', () => {
        const defined = new Set([...variables.map((v) => v.name), ...Object.keys(BUILTIN_VALUES)]);
        for (const panel of panels) {
          for (const target of panel.targets ?? []) {
            const references = variableReferences(target.expr);
            for (const name of references) assert.ok(defined.has(name), `"${panel.title}" uses $${name}, which is not defined`);
            assert.ok(references.includes('job') && references.includes('instance'), `"${panel.title}": ${target.expr}`);
          }
        }
      });

      it('has rows only as full-width headers, one grid unit high, each followed by panels', () => {
        for (const [i, panel] of panels.entries()) {
          if (panel.type !== 'row') continue;
          assert.deepEqual({ x: panel.gridPos.x, w: panel.gridPos.w, h: panel.gridPos.h }, { x: 0, w: 24, h: 1 }, `row "${panel.title}" gridPos`);
          assert.equal(panel.targets, undefined, `row "${panel.title}" has no queries`);
          const next = panels[i + 1];
          assert.ok(next !== undefined && next.type !== 'row' && next.gridPos.y === panel.gridPos.y + 1, `row "${panel.title}" is followed by its panels`);
        }
      });

      it('lays the panels out inside the 24-column grid without overlaps', () => {
        for (const panel of panels) {
          const { x, y, w, h } = panel.gridPos;
          assert.ok([x, y, w, h].every(Number.isInteger), `"${panel.title}" gridPos ${JSON.stringify(panel.gridPos)}`);
          assert.ok(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24, `"${panel.title}" gridPos ${JSON.stringify(panel.gridPos)}`);
        }
        const overlap = (a: Panel, b: Panel): boolean =>
          a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
        for (const [i, a] of panels.entries()) {
          for (const b of panels.slice(i + 1)) assert.ok(!overlap(a, b), `"${a.title}" ${JSON.stringify(a.gridPos)} overlaps "${b.title}" ${JSON.stringify(b.gridPos)}`);
        }
      });
    });
  }
});
