import { apiHandler } from '#middleware/api-handler';
import { openApi } from '#functions/composition/openapi';
import { json } from '#middleware/responses';
import { openApiDocument } from '#schemas/openapi';

let document: ReturnType<typeof openApiDocument> | undefined;

export const handler = apiHandler(
  'OpenApi',
  async (_request, deps) => {
    document ??= openApiDocument(deps.settings.serviceVersion);
    return json(200, document);
  },
  { dependencies: openApi },
);
