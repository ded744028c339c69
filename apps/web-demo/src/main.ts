import { DEMO_MODELS, type DemoModel } from './demo-models.js';
import { DEMO_MODES, DemoPipeline, type DemoMode, type FrameResult } from './demo-pipeline.js';
import type { DemoState } from './demo-state.js';
import { drawPanel } from './draw-output.js';
import { FrameGrabber } from './frame-grabber.js';
import { startSource, type SourceKind } from './video-source.js';

const form = document.querySelector<HTMLFormElement>('#controls')!;
const field = <T extends HTMLInputElement | HTMLSelectElement>(name: string): T => form.elements.namedItem(name) as T;
const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const video = byId<HTMLVideoElement>('video');
const layerSelect = byId<HTMLSelectElement>('layer');

const state: DemoState = { status: 'idle', frames: 0 };
window.demo = state;

function fillSelect(select: HTMLSelectElement, options: readonly { value: string; label: string }[]): void {
  select.replaceChildren(...options.map(({ value, label }) => new Option(label, value)));
}

const sizeLabel = ([h, w]: readonly [number, number]): string => `${h}x${w}`;
const selectedModel = (): DemoModel => DEMO_MODELS.find((m) => m.id === field<HTMLSelectElement>('model').value)!;

fillSelect(
  field('model'),
  DEMO_MODELS.map((m) => ({ value: m.id, label: m.label })),
);
fillSelect(
  field('mode'),
  DEMO_MODES.map((m) => ({ value: m, label: m })),
);
const fillSizes = (): void => {
  fillSelect(
    field('size'),
    selectedModel().sizes.map((s) => ({ value: sizeLabel(s), label: sizeLabel(s) })),
  );
  field('threshold').value = String(selectedModel().threshold);
};
field('model').addEventListener('change', fillSizes);
fillSizes();

// Every control can be preset from the URL (?source=webcam&model=selfie&mode=delta&verify=1&autostart=1), for links and tests.
const params = new URLSearchParams(location.search);
for (const name of ['source', 'model', 'size', 'mode', 'threshold']) {
  const value = params.get(name);
  if (value === null) continue;
  field(name).value = value;
  if (name === 'model') fillSizes();
}
field<HTMLInputElement>('verify').checked = params.get('verify') === '1';

function setStatus(text: string, error = false): void {
  const status = byId('status');
  status.textContent = text;
  status.classList.toggle('error', error);
}

const format = (value: number | undefined, digits = 3): string => (value === undefined ? '-' : value.toExponential(digits - 1));

function show(result: FrameResult, model: DemoModel, image: ImageData): void {
  const [, height, width, channels] = result.shape;
  const layers = result.masks.map((m) => ({ node: m.node, updated: m.mask.reduce((a, b) => a + b, 0) / Math.max(1, m.mask.length) }));
  if (layerSelect.options.length !== layers.length)
    fillSelect(
      layerSelect,
      layers.map((l) => ({ value: l.node, label: l.node })),
    );
  for (const [i, layer] of layers.entries()) layerSelect.options[i]!.label = `${layer.node} (${(layer.updated * 100).toFixed(0)}% updated)`;
  const mask = result.masks.find((m) => m.node === layerSelect.value);
  const shape = [1, height!, width!, channels!];
  drawPanel(byId('dense'), image, { data: result.dense, shape }, model.view);
  drawPanel(byId('sparse'), image, { data: result.sparse, shape }, model.view, mask);
  state.layers = layers;
  state.macFraction = result.macFraction;
  state.modeVsDense = result.modeVsDense;
  if (result.denseVsReference !== undefined) state.maxDenseVsReference = Math.max(state.maxDenseVsReference ?? 0, result.denseVsReference);
  if (result.modeVsReference !== undefined) state.maxModeVsReference = Math.max(state.maxModeVsReference ?? 0, result.modeVsReference);
  byId('frames').textContent = String(state.frames);
  byId('fps').textContent = state.fps === undefined ? '-' : state.fps.toFixed(2);
  byId('macs').textContent = `${(result.macFraction * 100).toFixed(1)}%${result.keyframe ? ' (keyframe)' : ''}`;
  byId('mode-vs-dense').textContent = format(result.modeVsDense);
  byId('vs-reference').textContent = `${format(result.denseVsReference)} / ${format(result.modeVsReference)}`;
}

let stop: (() => void) | undefined;

async function start(): Promise<void> {
  stop?.();
  const model = selectedModel();
  const size = model.sizes.find((s) => sizeLabel(s) === field('size').value) ?? model.sizes[0]!;
  const mode = field<HTMLSelectElement>('mode').value as DemoMode;
  Object.assign(state, { status: 'loading', frames: 0 });
  for (const key of ['error', 'fps', 'maxDenseVsReference', 'maxModeVsReference'] as const) delete state[key];
  setStatus(`Loading ${model.label}...`);
  const stopSource = await startSource(video, field<HTMLSelectElement>('source').value as SourceKind);
  let pipeline: DemoPipeline;
  try {
    pipeline = await DemoPipeline.create({
      model,
      size,
      mode,
      backend: ['webgpu', 'reference'],
      threshold: Number(field<HTMLInputElement>('threshold').value),
      verify: field<HTMLInputElement>('verify').checked,
    });
  } catch (error) {
    stopSource();
    throw error;
  }
  let running = true;
  stop = () => {
    running = false;
    stopSource();
    pipeline.dispose();
    byId<HTMLButtonElement>('stop').disabled = true;
  };
  byId<HTMLButtonElement>('stop').disabled = false;
  state.backends = pipeline.backends;
  state.status = 'running';
  byId('dense-caption').textContent = `dense on ${state.backends.dense}`;
  byId('sparse-caption').textContent = `${mode} on ${state.backends.mode}`;
  setStatus(
    `Running ${model.label} at ${sizeLabel(size)}, dense and ${mode}.` +
      (state.backends.skipped.length > 0 ? ` Passed over: ${state.backends.skipped.join('; ')}` : ''),
  );
  const grabber = new FrameGrabber(model, size);
  let last = performance.now();
  while (running) {
    const frame = grabber.grab(video);
    const result = await pipeline.run(frame);
    if (!running) break;
    const now = performance.now();
    // A smoothed rate: one slow frame (a keyframe) should not make the number jump.
    const fps = 1000 / Math.max(1, now - last);
    state.fps = state.fps === undefined ? fps : 0.8 * state.fps + 0.2 * fps;
    last = now;
    state.frames++;
    show(result, model, frame.image);
    // Yield to the page between frames so that the controls stay responsive.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  start().catch((error: unknown) => {
    state.status = 'error';
    state.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    setStatus(state.error, true);
  });
});
byId('stop').addEventListener('click', () => {
  stop?.();
  state.status = 'idle';
  setStatus('Stopped.');
});
if (params.get('autostart') === '1') form.requestSubmit();
