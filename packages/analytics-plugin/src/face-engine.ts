import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Box, Frame } from '@wardwatch/core';
import { WardwatchError, createSerialQueue, toWardwatchError } from '@wardwatch/core';
import { assertOptionalPeers } from './assert-optional-peers.js';
import { toRgb } from './to-rgb.js';

/** Options of {@link createFaceEngine}. */
export interface FaceEngineOptions {
  /** Folder holding `blazeface.json`, `facemesh.json`, `faceres.json` and their weights; `@vladmandic/human`'s `models/` when omitted. */
  modelPath?: string;
  /** Faces detected under this score are ignored. @default 0.5 */
  minConfidence?: number;
  /** Most faces per image. @default 10 */
  maxFaces?: number;
}

/** A face found in an image. */
export interface DetectedFace {
  /** Normalised box in the image. */
  box: Box;
  /** Box width in pixels (face size). */
  sizePx: number;
  /** Detection confidence, 0..1. */
  confidence: number;
  /** The face descriptor (1024 numbers from the FaceRes model). */
  embedding: Float32Array;
}

/** Detects faces and computes an embedding per face, on CPU (TensorFlow.js WASM backend), offline. */
export interface FaceEngine {
  /** Faces in an image (a decoded frame or encoded JPEG/PNG bytes); corrupt images reject with `IMAGE_DECODE_FAILED`. */
  detect(image: Frame | Uint8Array): Promise<DetectedFace[]>;
}

/** The optional peer dependencies the face engine loads: Human with its models, on TensorFlow.js (WASM backend). */
export const FACE_PEERS = ['@vladmandic/human', '@tensorflow/tfjs-core', '@tensorflow/tfjs-converter', '@tensorflow/tfjs-backend-wasm'] as const;

/** The models the face engine needs (each with a `.json` topology and `.bin` weights). */
export const FACE_MODELS = ['blazeface', 'facemesh', 'faceres'] as const;

interface HumanResult {
  face: Array<{ box: [number, number, number, number]; score: number; boxScore?: number; embedding?: number[] }>;
}
interface HumanInstance {
  load(): Promise<void>;
  warmup?(): Promise<unknown>;
  detect(input: unknown): Promise<HumanResult>;
  tf: {
    tensor3d(data: Uint8Array, shape: [number, number, number], dtype: 'int32'): { dispose(): void };
    io: {
      registerLoadRouter(router: (url: string | string[]) => unknown): void;
      getModelArtifactsForJSON(json: unknown, loadWeights: (manifest: Array<{ paths: string[]; weights: unknown[] }>) => Promise<[unknown[], ArrayBuffer]>): Promise<unknown>;
    };
  };
}

const require = createRequire(import.meta.url);
const routed = new WeakSet<object>();

/** The folder of the installed `@vladmandic/human` package (its `exports` hide `package.json`). */
function humanDir(): string {
  return join(dirname(require.resolve('@vladmandic/human')), '..');
}

/**
 * Serves `file://` model URLs from disk: TensorFlow.js without tfjs-node only knows HTTP, and
 * Node's fetch refuses `file://`. Registered once per TensorFlow.js instance.
 */
function registerFileRouter(human: HumanInstance): void {
  if (routed.has(human.tf.io)) return;
  routed.add(human.tf.io);
  human.tf.io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const file = decodeURIComponent(url.slice('file://'.length));
    return {
      load: async () => {
        const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        return human.tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const specs: unknown[] = [];
          const buffers: Buffer[] = [];
          for (const group of manifest) {
            specs.push(...group.weights);
            for (const p of group.paths) buffers.push(readFileSync(join(dirname(file), p)));
          }
          const all = Buffer.concat(buffers);
          return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
        });
      },
    };
  });
}


/**
 * Loads the face models shipped in `@vladmandic/human` on the TensorFlow.js WASM backend (no
 * download, no native build) and returns a face engine. Throws `OPTIONAL_DEPENDENCY_MISSING` when those packages
 * are not installed, `MODEL_NOT_FOUND` when a model file is missing.
 */
export async function createFaceEngine(options: FaceEngineOptions = {}): Promise<FaceEngine> {
  assertOptionalPeers('Face recognition', FACE_PEERS);
  const dir = humanDir();
  const modelPath = options.modelPath ?? join(dir, 'models');
  for (const model of FACE_MODELS) {
    for (const ext of ['json', 'bin']) {
      const file = join(modelPath, `${model}.${ext}`);
      if (!existsSync(file)) throw new WardwatchError('MODEL_NOT_FOUND', `Face model file missing: ${model}.${ext}`, { details: { file } });
    }
  }
  let human: HumanInstance;
  try {
    const { Human } = require(join(dir, 'dist', 'human.node-wasm.js')) as { Human: new (config: object) => HumanInstance };
    const wasmPath = `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
    human = new Human({
      backend: 'wasm',
      wasmPath,
      modelBasePath: `file://${modelPath}/`,
      debug: false,
      cacheModels: false,
      warmup: 'none',
      filter: { enabled: false },
      gesture: { enabled: false },
      body: { enabled: false },
      hand: { enabled: false },
      object: { enabled: false },
      segmentation: { enabled: false },
      face: {
        enabled: true,
        detector: { modelPath: 'blazeface.json', rotation: false, maxDetected: options.maxFaces ?? 10, minConfidence: options.minConfidence ?? 0.5, return: false },
        mesh: { enabled: true, modelPath: 'facemesh.json' },
        iris: { enabled: false },
        description: { enabled: true, modelPath: 'faceres.json' },
        emotion: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
        attention: { enabled: false },
      },
    });
    registerFileRouter(human);
    await human.load();
  } catch (error) {
    throw toWardwatchError(error, 'MODEL_NOT_FOUND', { modelPath });
  }
  const queue = createSerialQueue();
  const detectOne = async (image: Frame | Uint8Array): Promise<DetectedFace[]> => {
    const rgb = await toRgb(image);
    const tensor = human.tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], 'int32');
    let result: HumanResult;
    try {
      result = await human.detect(tensor);
    } catch (error) {
      throw toWardwatchError(error, 'INTERNAL', { stage: 'face-detect' });
    } finally {
      tensor.dispose();
    }
    return result.face
      .filter((f) => Array.isArray(f.embedding) && f.embedding.length > 0)
      .map((f) => {
        const [x, y, w, h] = f.box;
        return {
          box: { x: x / rgb.width, y: y / rgb.height, width: w / rgb.width, height: h / rgb.height },
          sizePx: w,
          confidence: f.boxScore ?? f.score,
          embedding: Float32Array.from(f.embedding as number[]),
        };
      });
  };
  return {
    detect(image) {
      // The WASM backend runs one inference at a time; calls are queued in order.
      return queue.run(() => detectOne(image));
    },
  };
}
