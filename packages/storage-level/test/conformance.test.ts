import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStorageAdapter } from '@wardwatch/core/testing';
import { createLevelStorage } from '../src/index.js';

describeStorageAdapter(
  async () => {
    const path = await mkdtemp(join(tmpdir(), 'ww-level-conformance-'));
    return {
      storage: await createLevelStorage({ path }),
      reopen: () => createLevelStorage({ path }),
      cleanup: () => rm(path, { recursive: true, force: true }),
    };
  },
  { name: 'createLevelStorage conformance', persistent: true },
);
