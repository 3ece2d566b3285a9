import { createHash } from 'crypto';

/**
 * The first 8 hex digits of the SHA-256 of `value`: the one hash behind object names, construct ids and manifest
 * buckets. Changing it would rename live objects and replace live resources.
 */
export function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}
