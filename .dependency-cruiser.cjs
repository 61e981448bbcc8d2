/**
 * The pipeline's layers, from the bottom up. A module may import its own folder and any layer below
 * its own, never one above and never a neighbour on its own layer. `npm run lint` checks it, and
 * that there are no cycles, so that the picture in README's "Architecture" stays true.
 */
const LAYERS = [
  ['src/version\\.ts$', 'src/otelData/', 'src/net/'], // OTel data as the sources give it; auth and TLS
  ['src/otlp/decode/', 'src/otel/adapt/'], // sources: OTLP bytes and the SDK's ResourceMetrics → otelData
  ['src/translate/'], // the one rule: OTel metric and attributes → Prometheus name, type, unit, labels
  ['src/model/'], // the store: temporality, expiry, limits, what changed
  ['src/exposition/', 'src/promclient/', 'src/migration/'], // format writers; prom-client registries as families; recording rules for a rename
  ['src/outputs/'], // pull and push outputs
  ['src/config/'], // settings: schema, defaults, resolution (into the outputs' options among others)
  ['src/server/', 'src/otlp/receiver/'], // the HTTP app; the OTLP/HTTP and gRPC receivers
  ['src/otel/', 'src/sidecar/'], // wiring: the in-process reader and exporter; the sidecar
  ['src/cli\\.ts$', 'src/index\\.ts$'], // entry points
];

const forbidden = [
  {
    name: 'no-cycles',
    comment: 'A cycle makes two modules one; split out what both need, in the lower layer.',
    severity: 'error',
    from: { path: '^src/' },
    to: { circular: true },
  },
];
LAYERS.forEach((layer, rank) => {
  const higherOrSame = LAYERS.slice(rank).flat();
  for (const folder of layer) {
    forbidden.push({
      name: `upstream-import:${folder.replace(/[\\$]/g, '')}`,
      comment: `${folder} is on layer ${rank}: it may import only its own folder and the layers below it`,
      severity: 'error',
      from: { path: `^${folder}` },
      to: { path: `^(${higherOrSame.join('|')})`, pathNot: `^${folder}` },
    });
  }
});
forbidden.push({
  name: 'layer-unknown',
  comment: 'Every folder of src/ has a layer: add a new one to LAYERS in .dependency-cruiser.cjs',
  severity: 'error',
  from: { path: '^src/', pathNot: `^(${LAYERS.flat().join('|')})` },
  to: {},
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
