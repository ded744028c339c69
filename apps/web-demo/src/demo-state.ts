/**
 * What the page reports about itself as `window.demo`: shown in the table, and read by the
 * end-to-end test (which drives the page like a user and checks the numbers it shows).
 */
export interface DemoState {
  status: 'idle' | 'loading' | 'running' | 'error';
  error?: string;
  frames: number;
  /** Backend of the dense and of the mode session, and why others were passed over. */
  backends?: { readonly dense: string; readonly mode: string; readonly skipped: readonly string[] };
  fps?: number;
  macFraction?: number;
  modeVsDense?: number;
  /** Largest relative L2 from the reference backend over the frames so far (with verification on). */
  maxDenseVsReference?: number;
  maxModeVsReference?: number;
  /** The mode's update-mask layers, and the fraction of each one's pixels the last frame updated. */
  layers?: readonly { readonly node: string; readonly updated: number }[];
}

declare global {
  interface Window {
    demo: DemoState;
  }
}
