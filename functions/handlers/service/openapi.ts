import type { JsonText } from '#domain/json';
import * as ROUTE from '#functions/routes/service/openapi';
import { apiHandler } from '#middleware/api-handler';
import { openApi } from '#functions/composition/openapi';
import { respondSerialized } from '#middleware/route-response';
import { openApiDocument } from '#schemas/openapi';

type OpenApiDocument = ReturnType<typeof openApiDocument>;
/** The document's text, made once: it never changes while the function lives, so it is not serialised per request. */
let documentText: JsonText<OpenApiDocument> | undefined;

const route = ROUTE.OpenApi;

export const handler = apiHandler(
  route,
  async (_input, deps) => {
    documentText ??= JSON.stringify(openApiDocument(deps.settings.serviceVersion)) as JsonText<OpenApiDocument>;
    return respondSerialized(route, 200, documentText);
  },
  { dependencies: openApi },
);
