import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { FALLBACK_ROUTE, ROUTES } from '#functions/routes';
import { BUNDLE_BANNER, BUNDLE_FOOTER, esbuildOptionsFor } from '../../lib/constructs/function-bundling';
import { INIT_WORK_KEY } from '#functions/composition/init-work';
import { stageConfigs } from '../../lib/stages';
import { functionLogicalId, logicalIdOf, resourcesOf, synthStack } from './template';

const { template } = synthStack({ corsOrigins: ['https://editor.example.com', 'https://admin.example.com'] });
const resources = template.toJSON().Resources;
const functionSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', /^NetworkFunctionSecurityGroup[0-9A-F]{8}$/);
const operations = [
  ...ROUTES.map((route) => ({ operation: route.operation, memoryMb: route.memoryMb })),
  { operation: FALLBACK_ROUTE.operation, memoryMb: undefined },
];

describe('Lambda functions', () => {
  it('has one function per route plus the fallback (besides CDK helper functions)', () => {
    const ours = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).filter(
      ([id, fn]) => fn.Properties?.Environment?.Variables?.VARIABLES_TABLE && !id.startsWith('ExecutionPurge'),
    );
    expect(ours).toHaveLength(ROUTES.length + 1);
  });

  it.each(operations)('$operation: nodejs22.x on arm64 in the VPC, 10 s, traced, JSON logs', ({ operation, memoryMb }) => {
    const fn = resources[functionLogicalId(template, operation)].Properties;
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Handler).toBe('index.handler');
    expect(fn.MemorySize).toBe(memoryMb ?? 512);
    expect(fn.Timeout).toBe(10);
    expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [functionSg, 'GroupId'] }]);
    const subnets = Object.keys(resourcesOf(template, 'AWS::EC2::Subnet')).map((id) => ({ Ref: id }));
    expect(fn.VpcConfig.SubnetIds).toEqual(expect.arrayContaining(subnets));
    expect(fn.LoggingConfig.LogFormat).toBe('JSON');
    const logGroup = resources[fn.LoggingConfig.LogGroup.Ref];
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(stageConfigs().dev.logRetention);
  });

  it.each(operations)('$operation: environment', ({ operation }) => {
    const env = resources[functionLogicalId(template, operation)].Properties.Environment.Variables;
    expect(env).toEqual(
      expect.objectContaining({
        VARIABLES_TABLE: { Ref: expect.stringMatching(/^DataVariables/) },
        REFERENCES_TABLE: { Ref: expect.stringMatching(/^DataReferences/) },
        IDEMPOTENCY_TABLE: { Ref: expect.stringMatching(/^DataIdempotency/) },
        // The stage's origins, then the step editor's CloudFront origin (test/infra/editor-hosting.test.ts).
        CORS_ORIGINS: {
          'Fn::Join': [
            '',
            [
              'https://editor.example.com,https://admin.example.com,https://',
              { 'Fn::GetAtt': [expect.stringMatching(/^EditorDistribution/), 'DomainName'] },
            ],
          ],
        },
        POWERTOOLS_SERVICE_NAME: 'variable-service',
        POWERTOOLS_METRICS_NAMESPACE: 'VariableService',
        // Lambda's active tracing records the invocation; the in-process X-Ray SDK is the stage's choice, off by default.
        POWERTOOLS_TRACE_ENABLED: 'false',
        NODE_OPTIONS: '--enable-source-maps',
        REQUEST_BUDGET_MS: '8000',
        ONE_REQUEST_AT_A_TIME: 'true',
        SERVICE_VERSION: expect.stringMatching(/^\d+\.\d+\.\d+/),
      }),
    );
    expect(Number(env.REQUEST_BUDGET_MS)).toBeLessThan(resources[functionLogicalId(template, operation)].Properties.Timeout * 1000);
  });

  it('names a table the role may read for the init warm-up, and none where the function has no table', () => {
    const warmUpOf = (operation: string) =>
      resources[functionLogicalId(template, operation)].Properties.Environment.Variables.WARM_UP_TABLE;
    expect(warmUpOf('GetVariable')).toEqual({ Ref: expect.stringMatching(/^DataVariables/) });
    expect(warmUpOf('Health')).toEqual({ Ref: expect.stringMatching(/^DataVariables/) });
    expect(warmUpOf('ListReferences')).toEqual({ Ref: expect.stringMatching(/^DataReferences/) });
    expect(warmUpOf('OpenApi')).toBeUndefined();
    expect(warmUpOf(FALLBACK_ROUTE.operation)).toBeUndefined();
  });

  it('passes the cache as a TLS URL built from the serverless cache endpoint', () => {
    const cacheId = logicalIdOf(template, 'AWS::ElastiCache::ServerlessCache', /^NetworkCache[0-9A-F]{8}$/);
    const env = resources[functionLogicalId(template, 'GetVariable')].Properties.Environment.Variables;
    expect(env.REDIS_URL).toEqual({
      'Fn::Join': ['', ['rediss://', { 'Fn::GetAtt': [cacheId, 'Endpoint.Address'] }, ':', { 'Fn::GetAtt': [cacheId, 'Endpoint.Port'] }]],
    });
  });

  it('gives every function log group a retention', () => {
    const logGroups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThanOrEqual(ROUTES.length + 1);
    for (const logGroup of logGroups) expect(logGroup.Properties!.RetentionInDays).toBe(stageConfigs().dev.logRetention);
  });
});

describe('in-process tracing (the stage setting inProcessTracing)', () => {
  it('is off in every stage by default, with Lambda active tracing on', () => {
    for (const stage of Object.values(stageConfigs())) expect(stage.inProcessTracing).toBe(false);
  });

  it('turns the Powertools Tracer on for one deploy with `-c inProcessTracing=true`, active tracing unchanged', () => {
    const traced = synthStack({ inProcessTracing: 'true' }).template.toJSON().Resources;
    const id = Object.keys(traced).find((key) => /^FunctionsGetVariable[0-9A-F]{8}$/.test(key))!;
    expect(traced[id].Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('true');
    expect(traced[id].Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('refuses a value that is neither true nor false', () => {
    expect(() => synthStack({ inProcessTracing: 'yes' })).toThrow(/inProcessTracing must be true or false/);
  });
});

describe('CORS origins', () => {
  it("default to ['*'] without context", () => {
    const plain = synthStack().template.toJSON().Resources;
    const id = Object.keys(plain).find((key) => /^FunctionsGetVariable[0-9A-F]{8}$/.test(key))!;
    expect(plain[id].Properties.Environment.Variables.CORS_ORIGINS).toBe('*');
  });

  it('accept a comma list from `-c corsOrigins=a,b`', () => {
    const { template: fromString } = synthStack({ corsOrigins: 'https://a.example, https://b.example' });
    fromString.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: [
          'https://a.example',
          'https://b.example',
          { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^EditorDistribution'), 'DomainName'] }]] },
        ],
      },
    });
  });
});

describe('function bundling (lib/constructs/function-bundling.ts: the options the CDK and scripts/bundle-functions.ts share)', () => {
  // One real build of one function; what it must not carry holds for every function, they share the options.
  const buildGetVariable = (choices?: Parameters<typeof esbuildOptionsFor>[0]) =>
    build({
      ...esbuildOptionsFor(choices),
      absWorkingDir: path.resolve(__dirname, '../..'),
      entryPoints: ['functions/handlers/variables/get-variable.ts'],
      outfile: 'bundle.mjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
  const built = buildGetVariable();

  it('emits a minified ES module with a linked source map and no licence comments', async () => {
    const { outputFiles } = await built;
    const code = outputFiles.find((file) => file.path.endsWith('bundle.mjs'))!.text;
    expect(outputFiles.map((file) => path.basename(file.path)).sort()).toEqual(['bundle.mjs', 'bundle.mjs.map']);
    // Booleans, not toMatch: a failure would print the whole bundle.
    expect(code.startsWith(BUNDLE_BANNER)).toBe(true);
    expect(/\/\/# sourceMappingURL=bundle\.mjs\.map\s*$/.test(code)).toBe(true);
    expect(/\/\*!|@license|@preserve/.test(code)).toBe(false);
    // Init waits for the work the composition registered (the DynamoDB warm-up): the bundle's one top-level await.
    expect(code.includes(BUNDLE_FOOTER)).toBe(true);
    expect(BUNDLE_FOOTER.includes(`Symbol.for("${INIT_WORK_KEY}")`)).toBe(true);
  });

  it("replaces the SDK's default credential chain with the environment link Lambda uses (no STS/SSO clients inside)", async () => {
    const inputs = Object.keys((await built).metafile!.inputs);
    expect(inputs).toContain('lib/constructs/lambda-env-credentials.ts');
    expect(inputs.filter((input) => /@aws-sdk\/(credential-provider-(node|ini|sso|web-identity)|nested-clients)\//.test(input))).toEqual(
      [],
    );
  });

  it('leaves the Powertools Tracer and the X-Ray SDK out unless the stage asks for them', async () => {
    const tracerInputs = (inputs: string[]) => inputs.filter((input) => /aws-xray-sdk-core|cls-hooked|powertools\/tracer\//.test(input));
    expect(tracerInputs(Object.keys((await built).metafile!.inputs))).toEqual([]);
    const traced = await buildGetVariable({ inProcessTracing: true });
    expect(tracerInputs(Object.keys(traced.metafile.inputs)).length).toBeGreaterThan(0);
  });

  it('leaves out the parts of packages the service never runs (lib/constructs/bundle-trims.ts), and keeps what it does', async () => {
    const inputs = Object.keys((await built).metafile!.inputs);
    const leftOut = [
      /ioredis\/built\/cluster\//,
      /ioredis\/built\/connectors\/SentinelConnector\//,
      /ioredis\/built\/constants\/TLSProfiles/,
      /node_modules\/(debug|ms|supports-color|cluster-key-slot)\//,
      /@smithy\/core\/dist-es\/submodules\/event-streams\//,
      /@smithy\/core\/dist-es\/submodules\/checksum\/sha256\/Sha256Js/,
    ];
    expect(inputs.filter((input) => leftOut.some((pattern) => pattern.test(input)))).toEqual([]);
    expect(inputs).toEqual(
      expect.arrayContaining(['node_modules/ioredis/built/Redis.js', 'lib/constructs/bundle-trims/ioredis-cluster.ts']),
    );
    // The client class, not ioredis's index (which loads Cluster).
    expect(inputs).not.toContain('node_modules/ioredis/built/index.js');
  });

  it('builds the Health function without a Redis client, the rate limiter or idempotency', async () => {
    const health = await build({
      ...esbuildOptionsFor(),
      absWorkingDir: path.resolve(__dirname, '../..'),
      entryPoints: ['functions/handlers/service/health.ts'],
      outfile: 'bundle.mjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const carried = Object.keys(health.metafile.inputs).filter((input) =>
      /node_modules\/(ioredis|@ioredis|rate-limiter-flexible|@aws-lambda-powertools\/idempotency)\//.test(input),
    );
    expect(carried).toEqual([]);
    expect(Object.keys(health.metafile.inputs)).toContain('functions/adapters/cache/redis-ping.ts');
  });
});
