// Through the package's built entry point, so a broken exports map would show here too.
export { nchwToNhwc, nhwcToNchw, runOnnxRuntime } from '@motiondelta/reference-engines';
