import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '#functions/routes';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS } from '#middleware/cors';
import { API_THROTTLE, LOG_RETENTION } from '../constants';
import type { ApiFunctions } from './api-functions';

/** Request headers a browser client may send (API.md §2, CORS): the local server's, plus SigV4's for IAM-signed browsers. */
export const CORS_ALLOW_HEADERS = [...CORS_ALLOWED_HEADERS, 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256'];
export const CORS_EXPOSE_HEADERS = CORS_EXPOSED_HEADERS;

export interface VariableHttpApiProps {
  functions: ApiFunctions;
  corsOrigins: string[];
}

/**
 * The HTTP API: one route per ROUTES entry, method and path exactly as the route table has them,
 * and `$default` for everything else (the fallback answers 404/405 in the API's error shape).
 */
export class VariableHttpApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

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

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            routeKey: '$context.routeKey',
            status: '$context.status',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            caller: '$context.identity.userArn',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const iam = new HttpIamAuthorizer();
    const open = new HttpNoneAuthorizer();

    for (const route of ROUTES) {
      new HttpRoute(this, `${route.operation}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.operation}Integration`, functions.forOperation(route.operation)),
        authorizer: route.authenticated ? iam : open,
      });
    }

    // `$default` needs IAM too: only health and the OpenAPI document are open, as with API_TOKEN
    // locally, so an anonymous caller learns nothing about which paths exist.
    new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('FallbackIntegration', functions.fallback),
      authorizer: iam,
    });
  }

  /** The invoke URL of the `$default` stage (ends with `/`). */
  get url(): string {
    return this.stage.url;
  }
}
