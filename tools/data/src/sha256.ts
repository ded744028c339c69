import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Streams a file through sha256, so 100 MB clips never sit in memory at once.
 *
 * @example
 * const hex = await sha256File('/tmp/vtest.avi');
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
