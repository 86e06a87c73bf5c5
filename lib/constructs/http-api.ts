import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type IHttpRouteAuthorizer,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '#functions/routes';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS } from '#middleware/cors';
import { acknowledgeOpenRoute } from '../nag';
import type { ApiFunctions } from './api-functions';

/** Request headers a browser client may send (API.md §2, CORS): exactly the local server's (the bearer token rides in Authorization). */
export const CORS_ALLOW_HEADERS = CORS_ALLOWED_HEADERS;
export const CORS_EXPOSE_HEADERS = CORS_EXPOSED_HEADERS;

export interface VariableHttpApiProps {
  functions: ApiFunctions;
  corsOrigins: string[];
  /** Checks the bearer JWT of every route except health and the OpenAPI document. */
  authorizer: IHttpRouteAuthorizer;
  throttle: { rateLimit: number; burstLimit: number };
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * The HTTP API: one route per ROUTES entry, method and path exactly as the route table has them,
 * and `$default` for everything else (the fallback answers 404/405 in the API's error shape).
 */
export class VariableHttpApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: VariableHttpApiProps) {
    super(scope, id);
    const { functions } = props;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Variable data-flow service',
      // The stage is added below: the default one cannot carry throttling or access logs.
      createDefaultStage: false,
      // API Gateway answers preflight itself, before routing and authorization.
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.PUT, CorsHttpMethod.POST, CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      },
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      // Per-route Count, Latency, IntegrationLatency, 4xx and 5xx (dimensions ApiId, Stage, Method, Resource).
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            // The JWT's client (runner or editor) and subject; never the token itself.
            clientId: '$context.authorizer.claims.client_id',
            subject: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            error: '$context.error.message',
            latency: '$context.responseLatency',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const { authorizer } = props;
    const open = new HttpNoneAuthorizer();

    for (const route of ROUTES) {
      const integration = new HttpLambdaIntegration(`${route.operation}Integration`, functions.forOperation(route.operation));
      // HEAD is GET without the body (RFC 9110 §9.3.2), served by the same function, as locally.
      const methods = route.method === 'GET' ? [HttpMethod.GET, HttpMethod.HEAD] : [HttpMethod[route.method]];
      for (const method of methods) {
        const httpRoute = new HttpRoute(this, method === HttpMethod.HEAD ? `${route.operation}HeadRoute` : `${route.operation}Route`, {
          httpApi: this.httpApi,
          routeKey: HttpRouteKey.with(route.path, method),
          integration,
          authorizer: route.authenticated ? authorizer : open,
        });
        if (!route.authenticated) acknowledgeOpenRoute(httpRoute, `${method} ${route.path}`);
      }
    }

    // `$default` needs a token too: only health and the OpenAPI document are open, as with API_TOKEN
    // locally, so an anonymous caller learns nothing about which paths exist.
    new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('FallbackIntegration', functions.fallback),
      authorizer,
    });
  }

  /** The invoke URL of the `$default` stage (ends with `/`). */
  get url(): string {
    return this.stage.url;
  }
}
