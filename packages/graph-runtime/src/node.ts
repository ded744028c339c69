/**
 * @packageDocumentation
 * The Node entry of `@motiondelta/graph-runtime` (the `node` export condition): everything of the
 * platform-neutral runtime (`index.ts`), plus file access, so that `loadModel` takes paths and
 * `file:` URLs and threshold profiles are read from and written to files.
 */
import { installModelFileAccess } from './load/file-access.js';
import { nodeFileAccess } from './node/node-file-access.js';

installModelFileAccess(nodeFileAccess);

export * from './index.js';
export { loadProfile, saveProfile } from './node/profile-files.js';
