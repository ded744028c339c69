import { ModelFormatError } from '@motiondelta/core';

/** What a weight shard path may look like, for error messages. */
export const SHARD_PATH_RULE =
  "shard paths must be relative file names inside the model's folder (such as 'group1-shard1of2.bin' or " +
  "'weights/group1.bin'), with no '..' segment, no leading '/' or '\\', no URL scheme or drive letter, and no NUL byte";

/**
 * Checks a weight shard path from a manifest before anything reads it. A hostile model.json can
 * name any string; readers join it to the model's folder (or resolve it against a URL, for a
 * `readWeightFile` built on fetch), so anything that could leave that folder is refused here:
 * absolute paths, `..` segments (also percent-encoded, which URL resolution decodes), URL schemes
 * and Windows drive letters, and NUL bytes (which file APIs reject with a TypeError).
 *
 * @param where names the model file and manifest entry for the error message
 * @throws ModelFormatError naming the path and what is accepted
 */
export function checkShardPath(path: string, where: string): void {
  const refuse = (why: string): never => {
    throw new ModelFormatError(`${where}: weight shard path ${JSON.stringify(path)} is refused (${why}); ${SHARD_PATH_RULE}.`);
  };
  if (path.length === 0) refuse('it is empty');
  if (path.length > 4096) refuse(`it is ${path.length} characters long`);
  if (path.includes('\0')) refuse('it contains a NUL byte');
  if (path.startsWith('/') || path.startsWith('\\')) refuse('it is absolute');
  // `C:`, `file:`, `http:`: a scheme or a drive letter makes the path absolute for some reader.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) refuse('it starts with a URL scheme or drive letter');
  for (const segment of path.split(/[/\\]/)) {
    if (decodePercent(segment) === '..') refuse("it has a '..' segment, which leaves the model's folder");
  }
}

/** `%2e%2e` is `..` to URL resolution; malformed escapes are left as they are. */
function decodePercent(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
