import { Match } from 'aws-cdk-lib/assertions';
import { ROUTES } from '#functions/routes';
import { stageConfigs } from '../../lib/stages';
import { functionLogicalId, resourcesOf, synthStack } from './template';

const { template, stack } = synthStack();
const resources = template.toJSON().Resources;
const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties!);

function routeFor(routeKey: string) {
  const found = routes.filter((route) => route.RouteKey === routeKey);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The Lambda function a route's integration invokes. */
function functionBehind(route: Record<string, any>): string {
  const integrationId = route.Target['Fn::Join'][1][1].Ref;
  return resources[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0];
}

describe('HTTP API', () => {
  it('is an HTTP API (not REST)', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
  });

  it('has exactly the route table plus $default', () => {
    // HEAD is served wherever GET is (RFC 9110), by the same function, as the local server does.
    const keys = ROUTES.flatMap((route) =>
      route.method === 'GET' ? [`GET ${route.path}`, `HEAD ${route.path}`] : [`${route.method} ${route.path}`],
    );
    expect(routes.map((route) => route.RouteKey).sort()).toEqual([...keys, '$default'].sort());
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s invokes its own function', (routeKey, route) => {
    expect(functionBehind(routeFor(routeKey))).toBe(functionLogicalId(template, route.operation));
  });

  const authorizerId = Object.keys(resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer'))[0];

  it('has one JWT authorizer: the stage user pool issuer, both app clients as audiences, the bearer header', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const authorizer = resources[authorizerId].Properties;
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(authorizer.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(JSON.stringify(authorizer.JwtConfiguration.Issuer)).toMatch(/cognito-idp\..*IdentityUserPool/);
    const clients = Object.keys(resourcesOf(template, 'AWS::Cognito::UserPoolClient')).sort();
    expect(clients).toHaveLength(2);
    expect(authorizer.JwtConfiguration.Audience.map((audience: { Ref: string }) => audience.Ref).sort()).toEqual(clients);
  });

  it('sends $default to the fallback function, behind the JWT authorizer', () => {
    const route = routeFor('$default');
    expect(functionBehind(route)).toBe(functionLogicalId(template, 'Fallback'));
    expect(route.AuthorizationType).toBe('JWT');
    expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route.authenticated] as const))(
    '%s: authenticated=%s',
    (routeKey, authenticated) => {
      const route = routeFor(routeKey);
      if (authenticated) {
        expect(route.AuthorizationType).toBe('JWT');
        expect(route.AuthorizerId).toEqual({ Ref: authorizerId });
      } else {
        expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      }
    },
  );

  it('uses an existing OIDC provider when -c jwtIssuer/jwtAudiences name one', () => {
    const { template: oidc } = synthStack({ jwtIssuer: 'https://login.example.com/', jwtAudiences: 'variable-service-api,editor' });
    oidc.resourceCountIs('AWS::Cognito::UserPool', 0);
    oidc.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://login.example.com/', Audience: ['variable-service-api', 'editor'] },
    });
  });

  it('leaves exactly health and the OpenAPI document open', () => {
    const open = routes
      .filter((route) => (route.AuthorizationType ?? 'NONE') === 'NONE')
      .map((route) => route.RouteKey)
      .sort();
    expect(open).toEqual(['GET /api/health', 'GET /api/openapi.json', 'HEAD /api/health', 'HEAD /api/openapi.json']);
  });

  it('uses payload format 2.0 (what the local server emulates)', () => {
    template.allResourcesProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('answers CORS preflight with the documented headers', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowHeaders: Match.arrayWith(['Content-Type', 'Authorization', 'If-Match', 'Idempotency-Key', 'Accept-Language']),
        ExposeHeaders: ['ETag', 'Retry-After'],
        AllowMethods: Match.arrayWith(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS']),
      },
    });
  });

  it("throttles the auto-deployed $default stage at the stage's limits, with per-route metrics, and logs access", () => {
    const { apiThrottle } = stageConfigs().dev;
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: apiThrottle.rateLimit,
        ThrottlingBurstLimit: apiThrottle.burstLimit,
        DetailedMetricsEnabled: true,
      },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.requestId') },
    });
  });

  it('lets API Gateway invoke each function only through its own route', () => {
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).map((p) => p.Properties!);
    const fromGateway = permissions.filter((p) => p.Principal === 'apigateway.amazonaws.com');
    const sourceArnSuffixes = (operation: string): string[] =>
      fromGateway
        .filter((p) => p.FunctionName['Fn::GetAtt'][0] === functionLogicalId(template, operation))
        .map((p) => p.SourceArn['Fn::Join'][1].at(-1));
    // One permission per route key (a GET route's HEAD twin included), each scoped to its own path.
    for (const route of ROUTES) {
      const suffixes = sourceArnSuffixes(route.operation);
      expect(suffixes.length).toBe(route.method === 'GET' ? 2 : 1);
      for (const suffix of suffixes) expect(suffix).toBe(`/*/*${route.path}`);
    }
    expect(sourceArnSuffixes('Fallback')).toEqual(['/*/*']);
  });

  it('outputs the API URL', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toContain('ApiUrl');
    expect(JSON.stringify(outputs.ApiUrl.Value)).toContain('execute-api');
    expect(stack.api.url).toBeDefined();
  });
});
