import { lstat, mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { openLevelDatabase, openSublevels } from './level-database.js';
import { ensureSchema } from './schema-version.js';

/** A staging directory older than this is left over from an interrupted creation and is removed. */
const STALE_STAGING_MS = 10 * 60_000;

/** Creates the LevelDB database in `dir` and writes the WardWatch schema marker (fsynced). */
async function createMarked(dir: string): Promise<void> {
  const db = await openLevelDatabase(dir);
  try {
    await ensureSchema(db, openSublevels(db), dir);
  } finally {
    await db.close();
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes `.<name>.creating-*` siblings left by creations that were interrupted long ago. */
async function removeStaleStaging(parent: string, prefix: string, now: number): Promise<void> {
  for (const entry of await readdir(parent)) {
    if (!entry.startsWith(prefix)) continue;
    const path = join(parent, entry);
    if (now - (await stat(path)).mtimeMs > STALE_STAGING_MS) await rm(path, { recursive: true, force: true });
  }
}

/**
 * Creates a new WardWatch database at `location` (missing or an empty directory) so that it never
 * exists without its schema marker: the database is built in a `.<name>.creating-*` sibling, marked,
 * closed and renamed onto `location` (rename replaces an empty directory atomically). A LevelDB at
 * `location` without a marker and without records can therefore only be a damaged one (its log
 * truncated or deleted) or another application's, never an interrupted creation. Where the sibling
 * cannot be made or renamed (a read-only parent, `location` being a mount point), it is created in
 * place (also when `location` is a symlink, which a rename would replace), and only an interruption within
 * the first milliseconds can leave it unmarked.
 */
export async function createLevelDirectory(location: string): Promise<void> {
  // A symlink (to a bigger disk, say) must stay one: renaming onto it would replace the link itself.
  const link = await lstat(location).then(
    (info) => info.isSymbolicLink(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (link) return createMarked(location);
  const parent = dirname(location);
  const prefix = `.${basename(location)}.creating-`;
  await mkdir(parent, { recursive: true });
  let staging: string | undefined;
  try {
    await removeStaleStaging(parent, prefix, Date.now());
    staging = await mkdtemp(join(parent, prefix));
    await createMarked(staging);
    await rename(staging, location);
    staging = undefined;
    await fsyncDirectory(parent);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!['EACCES', 'EPERM', 'EROFS', 'EXDEV', 'EBUSY', 'EINVAL'].includes(code ?? '')) throw error;
  } finally {
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
  }
  await createMarked(location);
}
