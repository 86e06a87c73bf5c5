import { ROUTE } from '#functions/routes';
import { apiHandler } from '#middleware/api-handler';
import { openApi } from '#functions/composition/openapi';
import { respond } from '#middleware/route-response';
import { openApiDocument } from '#schemas/openapi';

let document: ReturnType<typeof openApiDocument> | undefined;

const route = ROUTE.OpenApi;

export const handler = apiHandler(
  route,
  async (_input, deps) => {
    document ??= openApiDocument(deps.settings.serviceVersion);
    return respond(route, 200, document);
  },
  { dependencies: openApi },
);
