export { BUILD_HINT, defaultAddonPath, loadAddon } from './load-addon.js';
export type { AddonLoad } from './load-addon.js';
