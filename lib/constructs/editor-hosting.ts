import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Aws, DefaultStackSynthesizer, DockerImage, Duration, type ILocalBundling, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge } from '../nag';
import type { StageConfig } from '../stages';

/**
 * The step editor page in AWS (README "Step editor"): its static files in a private S3 bucket,
 * read only by one CloudFront distribution through origin access control, never by the API (no
 * Lambda runs to serve a file, and the API's authorisation stays as it is).
 *
 * Contract:
 * - the files are exactly what `npm run build:web` writes (`index.html`, `editor/editor.js`,
 *   `editor/editor.css`), built by esbuild at synth time in this process's Node — no Docker — so
 *   `cdk synth` works offline;
 * - the page finds the API through `?api=` (web/src/app.ts; without it the page's own origin,
 *   which here serves only files): the stack's `EditorUrl` output is the distribution's URL with
 *   `?api=<ApiUrl>`, the link to hand out and bookmark;
 * - `origin` (`https://<distribution domain>`) is what the API's CORS must allow; it names only
 *   the distribution, and the distribution names nothing of the API, so there is no cycle;
 * - the CSP is the local server's (bin/local/static-files.ts) with connect-src narrowed to this
 *   origin and the region's API Gateway endpoints (`https://*.execute-api.<region>.<suffix>`): the
 *   exact API URL would make the distribution depend on the API while the API's CORS depends on
 *   the distribution.
 */
export interface EditorHostingProps {
  stage: StageConfig;
  /** The repository root (web/ and its build script are resolved from it). */
  projectRoot: string;
}

/** The page's files as the deployment uploads them (paths inside the bucket). */
export const EDITOR_OBJECT_KEYS = ['index.html', 'editor/editor.js', 'editor/editor.css'] as const;

export class EditorHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly deployment: BucketDeployment;
  /** `https://<distribution domain>`: the browser origin the API's CORS must allow. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: EditorHostingProps) {
    super(scope, id);
    // The bucket's server access logs are granted to S3's logging service by bucket policy, not by
    // the deprecated LogDeliveryWrite ACL (set before any child reads it).
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const { stage, projectRoot } = props;
    const destroy = stage.dataRemovalPolicy === RemovalPolicy.DESTROY;
    const common: s3.BucketProps = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: stage.dataRemovalPolicy,
      // A destroyed stage must be able to delete non-empty buckets.
      autoDeleteObjects: destroy,
    };

    // CloudFront's standard logs are delivered with an ACL grant, so this bucket lets object
    // writers own their objects (ObjectWriter); it is private and TLS-only like the site bucket.
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      ...common,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: stage.logRetention < 9999 ? [{ expiration: Duration.days(stage.logRetention) }] : [],
    });
    acknowledge(
      this.logBucket,
      'AwsSolutions',
      'AwsSolutions-S1',
      'This is the access-log bucket of the editor bucket and distribution; logging its own writes into itself would log forever',
    );

    this.bucket = new s3.Bucket(this, 'Site', {
      ...common,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
    });

    const apiEndpoints = `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: "Step editor: scripts and styles from this origin only; API calls to this region's API Gateway",
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy:
            `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ` +
            `'self' ${apiEndpoints}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Step editor (${stage.name})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    acknowledge(
      this.distribution,
      'AwsSolutions',
      'AwsSolutions-CFR1',
      'The step editor is an internal tool used from wherever the team works; it serves public static ' +
        'code, and every data request needs a JWT at the API',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions',
      'AwsSolutions-CFR2',
      'Only public static files are served (no data, no forms); a CLOUDFRONT-scope WAF web ACL must ' +
        'live in us-east-1, a separate stack, and the API it calls is JWT-protected and throttled itself',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions',
      'AwsSolutions-CFR4',
      'No custom domain yet, so the default *.cloudfront.net certificate is used, whose TLS policy ' +
        'cannot be chosen; a domain and ACM certificate would allow TLSv1.2_2021',
    );

    this.deployment = new BucketDeployment(this, 'Files', {
      sources: [Source.asset(path.join(projectRoot, 'web'), { bundling: editorBundling(projectRoot) })],
      destinationBucket: this.bucket,
      // Not content-hashed names: browsers revalidate (as with `npm start`), the deployment invalidates CloudFront.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    acknowledgeDeploymentHandler(this, this.bucket);
  }

  /** The page pointed at the stage's API (`?api=`, README "Step editor"): the `EditorUrl` output. */
  urlFor(apiUrl: string): string {
    return `${this.origin}/?api=${apiUrl}`;
  }
}

/** The stage's CORS origins plus the editor's (unless every origin is already allowed). */
export function withEditorOrigin(origins: string[], editorOrigin: string): string[] {
  return origins.includes('*') ? origins : [...origins, editorOrigin];
}

/**
 * Builds the page with web/build.ts into the asset's output directory, synchronously, in a child
 * Node with tsx (CDK's local bundling hook cannot await). No Docker fallback is offered: a failed
 * build fails synth with esbuild's message.
 */
export function editorBundling(projectRoot: string) {
  const local: ILocalBundling = {
    tryBundle(outputDir: string): boolean {
      const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'web/build.ts'), outputDir], {
        cwd: projectRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (result.status !== 0)
        throw new Error(`step editor build failed: ${result.stderr || result.error?.message || `exit ${result.status}`}`);
      return true;
    },
  };
  // `image` is required by the type but never pulled: tryBundle either succeeds or throws.
  return { local, image: DockerImage.fromRegistry('unused-local-bundling-only') };
}

/**
 * The BucketDeployment's handler is CDK's own singleton function (one per stack), created beside
 * this construct at stack level; its findings are about code and a role we do not write.
 */
function acknowledgeDeploymentHandler(scope: IConstruct, bucket: s3.Bucket): void {
  const stack = Stack.of(scope);
  const bucketId: string = stack.resolve(stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket));
  // The bootstrap asset bucket as cdk-nag prints it: concrete where the stage names its account/region.
  const qualifier =
    (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const handlers = stack.node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  const reason = (what: string) => `CDK's BucketDeployment handler (aws-s3-deployment), run only by CloudFormation at deploy time: ${what}`;
  for (const handler of handlers) {
    acknowledge(
      handler,
      'AwsSolutions',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason('AWSLambdaBasicExecutionRole is the AWS-maintained minimum for its logs'),
    );
    const wildcards: [string, string][] = [
      ['Action::s3:GetObject*', 'reads the asset objects it copies'],
      ['Action::s3:GetBucket*', 'reads the location of the two buckets it works on'],
      ['Action::s3:List*', 'lists the editor bucket to prune files a new build no longer has'],
      ['Action::s3:DeleteObject*', 'deletes pruned files from the editor bucket'],
      ['Action::s3:Abort*', 'aborts its own failed multipart uploads into the editor bucket'],
      [
        `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${account}-${region}/*`,
        'reads objects of the CDK bootstrap asset bucket, whose keys are content hashes unknown before synth',
      ],
      [`Resource::<${bucketId}.Arn>/*`, 'writes and prunes every object of the editor bucket, which holds only the page'],
      [
        'Resource::*',
        'cloudfront:CreateInvalidation/GetInvalidation as CDK grants them (on *), to invalidate the editor distribution after a deploy',
      ],
    ];
    for (const [finding, why] of wildcards) acknowledge(handler, 'AwsSolutions', `AwsSolutions-IAM5[${finding}]`, reason(why));
    acknowledge(handler, 'AwsSolutions', 'AwsSolutions-L1', reason('its runtime is chosen by the CDK release, upgraded with aws-cdk-lib'));
    acknowledge(
      handler,
      'Serverless',
      'Serverless-LambdaLatestVersion',
      reason('its runtime is chosen by the CDK release, upgraded with aws-cdk-lib'),
    );
    acknowledge(
      handler,
      'Serverless',
      'Serverless-LambdaDLQ',
      reason('invoked synchronously as a custom resource; a failure fails the deployment, there is no event to dead-letter'),
    );
    acknowledge(
      handler,
      'Serverless',
      'Serverless-LambdaTracing',
      reason('a deploy-time file copy, not part of any request path worth tracing'),
    );
  }
}
