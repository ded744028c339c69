import { fileURLToPath } from 'node:url';
import { RegularFile } from './regular-file.js';
import { folderShardSource } from './shard-folder.js';
import type { ModelFileAccess } from '../load/file-access.js';

/** Model files through `node:fs`, with the checks of `RegularFile` and `folderShardSource`. */
export const nodeFileAccess: ModelFileAccess = {
  open: (path, what, maxBytes) => RegularFile.open(path, what, maxBytes),
  shards: folderShardSource,
  fileUrlToPath: (url) => fileURLToPath(url),
};
