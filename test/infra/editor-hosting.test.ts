import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EDITOR_OBJECT_KEYS, editorBundling } from '../../lib/constructs/editor-hosting';
import { PROJECT_ROOT } from '../../lib/variable-service-stack';
import { logicalIdOf, resourcesOf, synthStage } from './template';

// One synth per stage, shared by every assertion (dev destroys its data, prod retains it and has
// named CORS origins).
const dev = synthStage('dev').template;
const prod = synthStage('prod').template;
const resources = dev.toJSON().Resources;

const siteBucket = logicalIdOf(dev, 'AWS::S3::Bucket', /^EditorSite[0-9A-F]{8}$/);
const logBucket = logicalIdOf(dev, 'AWS::S3::Bucket', /^EditorAccessLogs[0-9A-F]{8}$/);
const distributionId = logicalIdOf(dev, 'AWS::CloudFront::Distribution', /^EditorDistribution[0-9A-F]{8}$/);
const distribution = resources[distributionId].Properties.DistributionConfig;
const editorOrigin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };

const statementsOf = (bucket: string) =>
  Object.values(resourcesOf(dev, 'AWS::S3::BucketPolicy'))
    .filter((policy) => policy.Properties!.Bucket.Ref === bucket)
    .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as Record<string, any>[]);

describe('step editor hosting: the bucket', () => {
  it.each([
    ['site', siteBucket],
    ['access-log', logBucket],
  ])('the %s bucket is private, encrypted and TLS-only', (_name, bucket) => {
    const props = resources[bucket].Properties;
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(statementsOf(bucket)).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('is read only by the distribution, through origin access control (no OAI, no public grant)', () => {
    const allows = statementsOf(siteBucket).filter((s) => s.Effect === 'Allow');
    // Nobody is allowed anonymously; the only other grant is dev's auto-delete of objects on stack deletion.
    expect(allows.filter((s) => JSON.stringify(s.Principal).includes('"*"'))).toEqual([]);
    const reads = allows.filter((s) => [s.Action].flat().some((action: string) => action.startsWith('s3:GetObject')));
    expect(reads).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      }),
    ]);
    expect(JSON.stringify(reads[0].Condition)).toContain(distributionId);
    expect(resources[siteBucket].Properties.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);

    dev.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    const [origin] = distribution.Origins;
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [siteBucket, 'RegionalDomainName'] });
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Editor/), 'Id'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it("logs its requests and the distribution's into the access-log bucket, kept as long as the stage keeps logs", () => {
    expect(resources[siteBucket].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logBucket },
      LogFilePrefix: 's3/',
    });
    expect(distribution.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logBucket, 'RegionalDomainName'] }, Prefix: 'cloudfront/' });
    expect(resources[logBucket].Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: 7, Status: 'Enabled' }),
    ]);
  });

  it('takes its removal policy from the stage: dev deletes (objects too), prod retains', () => {
    expect(resources[siteBucket].DeletionPolicy).toBe('Delete');
    expect(Object.keys(resourcesOf(dev, 'Custom::S3AutoDeleteObjects'))).toHaveLength(2);
    const prodBuckets = Object.entries(prod.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>).filter(
      ([id, r]) => r.Type === 'AWS::S3::Bucket' && id.startsWith('Editor'),
    );
    expect(prodBuckets).toHaveLength(2);
    for (const [, bucket] of prodBuckets) expect(bucket.DeletionPolicy).toBe('Retain');
    expect(Object.keys(resourcesOf(prod, 'Custom::S3AutoDeleteObjects'))).toHaveLength(0);
  });
});

describe('step editor hosting: the distribution', () => {
  it('serves index.html at /, over HTTPS only', () => {
    expect(distribution.DefaultRootObject).toBe('index.html');
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(distribution.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
  });

  it("adds security headers with the page's CSP, allowing calls to the region's API Gateway", () => {
    const policyId = distribution.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref;
    const headers = resources[policyId].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "connect-src 'self' https://*.execute-api.",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toContain('AWS::Region');
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.StrictTransportSecurity).toEqual(expect.objectContaining({ Override: true, IncludeSubdomains: true }));
  });

  it("is an origin the API allows (CORS preflight and the functions' CORS_ORIGINS)", () => {
    const [api] = Object.values(resourcesOf(prod, 'AWS::ApiGatewayV2::Api'));
    expect(api.Properties!.CorsConfiguration.AllowOrigins).toEqual(['https://editor.example.com', editorOrigin]);
    const fn = Object.values(resourcesOf(prod, 'AWS::Lambda::Function')).find((f) => f.Properties?.Environment?.Variables?.CORS_ORIGINS)!;
    expect(fn.Properties!.Environment.Variables.CORS_ORIGINS).toEqual({
      'Fn::Join': [
        '',
        ['https://editor.example.com,https://', { 'Fn::GetAtt': [expect.stringMatching(/^EditorDistribution/), 'DomainName'] }],
      ],
    });
  });
});

describe('step editor hosting: the deployment', () => {
  it('copies the built page into the bucket and invalidates the distribution', () => {
    const [deployment] = Object.values(resourcesOf(dev, 'Custom::CDKBucketDeployment'));
    expect(deployment.Properties!.DestinationBucketName).toEqual({ Ref: siteBucket });
    expect(deployment.Properties!.DistributionId).toEqual({ Ref: distributionId });
    expect(deployment.Properties!.DistributionPaths).toEqual(['/*']);
    expect(deployment.Properties!.SourceObjectKeys).toHaveLength(1);
    expect(deployment.Properties!.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
  });

  it('ships index.html, editor/editor.js and editor/editor.css, built at synth time without Docker', () => {
    // The tests synthesize without bundling (template.ts), so the asset's local bundler — exactly
    // what `cdk synth` runs — is run here on its own.
    const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'editor-asset-'));
    const bundling = editorBundling(PROJECT_ROOT);
    expect(bundling.local.tryBundle(outputDir, bundling)).toBe(true);
    const shipped = fs.readdirSync(outputDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    const keys = shipped.map((entry) => path.relative(outputDir, path.join(entry.parentPath, entry.name))).sort();
    expect(keys).toEqual([...EDITOR_OBJECT_KEYS].sort());
    const index = fs.readFileSync(path.join(outputDir, 'index.html'), 'utf8');
    expect(index).toContain('src="editor/editor.js"');
    expect(index).toContain('href="editor/editor.css"');
    expect(fs.statSync(path.join(outputDir, 'editor/editor.js')).size).toBeGreaterThan(1000);
  });
});

describe('step editor hosting: outputs', () => {
  it("EditorUrl is the distribution pointed at the stage's API with ?api=", () => {
    const outputs = dev.toJSON().Outputs;
    const parts = JSON.stringify(outputs.EditorUrl.Value);
    expect(parts).toContain(`"https://",{"Fn::GetAtt":["${distributionId}","DomainName"]},"/?api=https://"`);
    expect(parts).toMatch(/\{"Ref":"ApiHttpApi[0-9A-F]{8}"\},".execute-api."/);
    expect(outputs.EditorOrigin.Value).toEqual(editorOrigin);
  });
});
