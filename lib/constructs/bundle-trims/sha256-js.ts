/**
 * Stands in for @smithy/core's pure-JS SHA-256 (checksum/sha256/Sha256Js), the fallback of its
 * Sha256Node for a Node built without `crypto`. Node on Lambda always has node:crypto, so the
 * SDK's SigV4 signing and hashing use the native class; this one is never constructed.
 */
import { unusedPart } from './unused';

export class Sha256Js {
  constructor() {
    throw unusedPart('@smithy/core Sha256Js', 'node:crypto is always there, so the SDK hashes natively');
  }
}
