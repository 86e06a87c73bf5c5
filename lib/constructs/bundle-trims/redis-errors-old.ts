/**
 * Stands in for redis-errors/lib/old.js, which its index requires only on Node < 7 (it picks
 * lib/modern.js otherwise). The functions run on Node 22.
 */
import { unusedPart } from './unused';

throw unusedPart('redis-errors for Node < 7', 'the functions run on Node 22');
