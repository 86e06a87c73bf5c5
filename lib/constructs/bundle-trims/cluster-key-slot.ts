/**
 * Stands in for cluster-key-slot, which ioredis calls only in cluster mode (`isCluster` branches of
 * Pipeline.js and autoPipelining.js, and Command#getSlot, which only the cluster calls). The
 * service connects one standalone endpoint.
 */
import { unusedPart } from './unused';

const why = 'the service connects one standalone Redis endpoint, never a cluster';

function calculateSlot(): never {
  throw unusedPart('cluster-key-slot', why);
}
calculateSlot.generateMulti = (): never => {
  throw unusedPart('cluster-key-slot generateMulti', why);
};

export = calculateSlot;
