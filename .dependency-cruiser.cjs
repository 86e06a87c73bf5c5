/**
 * The layers' dependency rule (docs: https://github.com/sverweij/dependency-cruiser).
 *   domain       pure TS: imports nothing outside itself (no packages, no node builtins)
 *   services     the use cases: import the domain and the ports (services/ports.ts), each other, and
 *                small libraries (cockatiel); a use case never imports another; never adapters, observability, config, schemas, the HTTP
 *                layer, nor an SDK. Operational signals reach them as a port (ServiceSignals).
 *   adapters     implement ports: import the domain, the ports and the current request's budget signal,
 *                each other, config and observability; never a use case, handlers, middleware, routes
 *                or the composition root
 *   handlers, middleware, routes, schemas: the HTTP layer (anything but the composition root, which
 *                alone wires everything)
 * `#domain/*`-style imports are package.json subpath imports; dependency-cruiser resolves them.
 */
const HTTP_LAYER = '^functions/(handlers|middleware|schemas|routes)/|^functions/routes\\.ts$';
const USE_CASES = '^functions/services/(variables|references|hints|executions)\\.ts$';
const COMPOSITION = '^functions/(dependencies\\.ts$|composition/)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-self-contained',
      comment: 'The domain is pure TS: no I/O, no AWS, no package; it imports only other domain modules.',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: { pathNot: '^functions/domain/' },
    },
    {
      name: 'services-use-domain-and-ports',
      comment: 'Use cases see the world through ports (services/ports.ts): never an adapter, observability, config, schemas or HTTP.',
      severity: 'error',
      from: { path: '^functions/services/' },
      to: { path: '^functions/', pathNot: '^functions/(domain|services)/' },
    },
    {
      name: 'use-cases-stay-apart',
      comment: 'A use case never calls another one: what two share lives in the domain or in a shared service helper (snapshot-reader, …).',
      severity: 'error',
      from: { path: USE_CASES },
      to: { path: USE_CASES },
    },
    {
      name: 'services-use-no-infrastructure-package',
      comment: 'No SDK, Redis client or Powertools in a use case: those belong to adapters and observability.',
      severity: 'error',
      from: { path: '^functions/(domain|services)/' },
      to: { path: 'node_modules/(@aws-sdk|@aws-lambda-powertools|ioredis|@middy|zod)/' },
    },
    {
      name: 'adapters-never-import-http-or-composition',
      comment: 'Adapters implement ports; the HTTP layer and the composition root use them, never the other way round.',
      severity: 'error',
      from: { path: '^functions/adapters/' },
      to: { path: `${HTTP_LAYER}|${COMPOSITION}` },
    },
    {
      name: 'adapters-never-import-use-cases',
      comment: 'Of services, an adapter sees only the ports it implements and the request budget signal.',
      severity: 'error',
      from: { path: '^functions/adapters/' },
      to: { path: '^functions/services/', pathNot: '^functions/services/(ports|request-budget-signal)\\.ts$' },
    },
    {
      name: 'only-composition-imports-composition',
      comment: 'The composition root wires everything; nothing it wires may import it back, except the handlers that ask it.',
      severity: 'error',
      from: { path: '^functions/(domain|services|adapters|observability|config)/' },
      to: { path: COMPOSITION },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and layers blur (type-only imports vanish at run time, so they may close one).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve would hide a dependency from the rules above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
