import { SnapshotReader } from '#services/snapshot-reader';
import { shared } from '#functions/composition/composition';
import { sharedCache } from '#functions/composition/cache';
import { sharedDatabase } from '#functions/composition/database';

/** An execution's variables as one snapshot, read through the cache: the base of every read. */
export const sharedSnapshots = shared(() => new SnapshotReader(sharedDatabase().variableStore, sharedCache()));
