import * as ROUTE from '#functions/routes/hints/properties';
import { propertiesHandler } from '#handlers/hints/properties-handler';

/** GET /api/executions/{id}/variables/{name}/properties: the original step editor's path, same answers. */
export const handler = propertiesHandler(ROUTE.GetPropertiesCompat);
