// A station with analytics: the optional plate and face packages installed, their models load.
import { createFaceEngine, createPlateReader } from '@wardwatch/analytics-plugin';

const reader = await createPlateReader();
await reader.close();
console.log('ok   plate reader loaded (onnxruntime-node, PP-OCRv4 models)');
const faces = await createFaceEngine();
console.log(`ok   face engine loaded (Human on TensorFlow.js WASM): ${typeof faces.detect}`);
