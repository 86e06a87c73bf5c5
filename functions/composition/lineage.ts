import { DynamoReferenceLog } from '#adapters/dynamo/reference-log';
import type { Settings } from '#config/settings';
import { shared } from '#functions/composition/composition';
import { type Database, sharedDatabase } from '#functions/composition/database';
import { settings } from '#functions/composition/settings';

/** The lineage records (API.md §4), for the routes that record, list or count them. */
export function createLineageLog(settings: Settings, database: Database): DynamoReferenceLog {
  const { documentClient, breaker, generations, retentionSeconds } = database;
  return new DynamoReferenceLog(documentClient, breaker, settings.referencesTable, retentionSeconds, generations);
}

export const sharedLineageLog = shared(() => createLineageLog(settings, sharedDatabase()));
