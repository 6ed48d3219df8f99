// A recording station that installed @wardwatch/analytics-plugin without the optional face packages: asking for faces
// is a coded error that names what to add.
import { isWardwatchError } from '@wardwatch/core';
import { createFaceEngine } from '@wardwatch/analytics-plugin';

try {
  await createFaceEngine();
  throw new Error('createFaceEngine worked without @vladmandic/human installed');
} catch (error) {
  if (!isWardwatchError(error, 'OPTIONAL_DEPENDENCY_MISSING')) throw error;
  console.log(`ok   faces without their packages: ${error.code}: ${error.message}`);
}
