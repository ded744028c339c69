import { DEMO_CLIP } from './demo-models.js';

/** Where frames come from: the bundled clip (looped) or the camera. */
export type SourceKind = 'clip' | 'webcam';

/**
 * Plays `kind` in `video` and resolves once the first frame can be drawn. Returns a function that
 * stops it (and releases the camera).
 *
 * @throws Error saying why the camera cannot be opened (no camera, permission refused, no secure context)
 */
export async function startSource(video: HTMLVideoElement, kind: SourceKind): Promise<() => void> {
  video.muted = true;
  video.playsInline = true;
  if (kind === 'clip') {
    video.srcObject = null;
    video.src = DEMO_CLIP.path;
    video.loop = true;
  } else {
    if (navigator.mediaDevices?.getUserMedia === undefined) {
      throw new Error('this page has no camera access (it must be served over https or from localhost / 127.0.0.1)');
    }
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false });
    video.removeAttribute('src');
    video.srcObject = stream;
  }
  await video.play();
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) {
    await new Promise<void>((resolve) => video.addEventListener('loadeddata', () => resolve(), { once: true }));
  }
  return () => {
    video.pause();
    const stream = video.srcObject;
    if (stream instanceof MediaStream) for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
}
