import * as ROUTE from '#functions/routes/hints/properties';
import { propertiesHandler } from '#handlers/hints/properties-handler';

/** GET /api/v1/executions/{id}/variables/{name}/properties. */
export const handler = propertiesHandler(ROUTE.GetProperties);
