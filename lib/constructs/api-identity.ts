import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { StageConfig } from '../stages';

/** The one OAuth scope of the API; both clients ask for it. */
export const API_RESOURCE_SERVER = 'variable-service';
export const API_SCOPE = 'access';

export interface ApiIdentityProps {
  stage: StageConfig;
}

/**
 * Who may call the API in AWS (API.md §9). Both clients send `Authorization: Bearer <JWT>`, the
 * same header the local server's API_TOKEN mode reads, and the HTTP API's JWT authorizer checks
 * issuer, audience (or Cognito's `client_id`), expiry and signature before any function runs.
 *
 * With `auth.kind = 'cognito'` the stage owns its issuer: a user pool with no self sign-up, and
 * two app clients of one resource server:
 * - **test runner** (a machine in CI or AWS): confidential client, client-credentials grant; its
 *   secret lives in Cognito and in the runner's secret store, never in the repository;
 * - **step editor** (a browser, which cannot keep a secret): public client, authorization code
 *   with PKCE, for the team's users (strong passwords, MFA required).
 * With `auth.kind = 'oidc'` an existing provider's issuer and audiences are used as they are.
 */
export class ApiIdentity extends Construct {
  readonly authorizer: IHttpRouteAuthorizer;
  readonly userPool?: cognito.UserPool;
  readonly runnerClient?: cognito.UserPoolClient;
  readonly editorClient?: cognito.UserPoolClient;
  /** OAuth 2 endpoints of the stage's user pool (Cognito only). */
  readonly tokenUrl?: string;
  readonly authorizeUrl?: string;

  constructor(scope: Construct, id: string, { stage }: ApiIdentityProps) {
    super(scope, id);
    const { auth } = stage;
    if (auth.kind === 'oidc') {
      this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', auth.issuer, { jwtAudience: auth.audiences, authorizerName: 'jwt' });
      return;
    }

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection blocks credential stuffing against the editor's sign-in.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: stage.deletionProtection,
      removalPolicy: stage.dataRemovalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const access = new cognito.ResourceServerScope({ scopeName: API_SCOPE, scopeDescription: 'Call the variable service API' });
    const resourceServer = this.userPool.addResourceServer('ResourceServer', { identifier: API_RESOURCE_SERVER, scopes: [access] });
    const apiScope = cognito.OAuthScope.resourceServer(resourceServer, access);

    // The hosted domain serves /oauth2/token (runner) and /oauth2/authorize (editor). Prefixes are
    // global per region, hence the account id in it.
    const domainPrefix = Fn.join('-', ['variable-service', stage.name, Aws.ACCOUNT_ID]);
    const domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });

    this.runnerClient = this.userPool.addClient('TestRunnerClient', {
      userPoolClientName: 'test-runner',
      generateSecret: true,
      authFlows: {},
      oAuth: { flows: { clientCredentials: true }, scopes: [apiScope] },
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });
    this.editorClient = this.userPool.addClient('StepEditorClient', {
      userPoolClientName: 'step-editor',
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, apiScope],
        callbackUrls: auth.editorCallbackUrls,
        logoutUrls: auth.editorCallbackUrls,
      },
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      preventUserExistenceErrors: true,
    });

    // Cognito access tokens carry `client_id` (no `aud`); the authorizer matches it against both clients.
    this.authorizer = new HttpUserPoolAuthorizer('UserPoolAuthorizer', this.userPool, {
      userPoolClients: [this.runnerClient, this.editorClient],
      authorizerName: 'cognito-jwt',
    });

    this.tokenUrl = `${domain.baseUrl()}/oauth2/token`;
    this.authorizeUrl = `${domain.baseUrl()}/oauth2/authorize`;
  }
}
