import { chmod, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDirectory, fsyncFile, hashFile, WardwatchError, type Logger, type Segment } from '@wardwatch/core';
import { probeMedia } from './probe-media.js';
import type { ProcessRunner } from './process-runner.js';
import { freeSegmentStart, resolveInside, segmentRelativePath } from './segment-path.js';
import { FILE_INPUT_WHITELIST } from './protocol-whitelist.js';

/** The per-run journal the recorder keeps beside in-progress segments, so a crash loses no timing. */
export interface RunJournal {
  /** Wall-clock time (UTC ms) of media time 0 of the run. */
  anchor?: number;
  /** End (UTC ms) of the last segment of the run that closed normally. */
  lastClosedEnd?: number;
  codec?: string;
}

/** Directory (under a camera's directory) where ffmpeg writes segments in progress. */
export const INCOMING_DIR = '.incoming';

/**
 * Suffix of the note recovery writes beside an orphaned segment before moving its repaired copy into place, and
 * removes once the original is gone. Found at the next start, it means a crash came in between: the copy in place
 * is that segment (indexed as it is, not repaired and placed a second time).
 */
const PLACED_SUFFIX = '.placed.json';
/** Suffix of a run journal being rewritten (a crash may leave one; recovery removes it). */
const JOURNAL_TEMP_SUFFIX = '.tmp';

/** What a `PLACED_SUFFIX` note records: where the repaired copy went, and its hash and size to recognise it. */
interface PlacedNote {
  start: number;
  end: number;
  codec: string;
  sha256: string;
  bytes: number;
}

/** A file's text, or `undefined` when it does not exist; any other failure is logged (and also gives `undefined`). */
async function readIfPresent(path: string, logger: Logger): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ path, err: error }, 'recovery note unreadable; treated as absent');
    return undefined;
  }
}

/** Reads a `PLACED_SUFFIX` note; `undefined` when absent or unreadable. */
async function readPlaced(path: string, logger: Logger): Promise<PlacedNote | undefined> {
  const text = await readIfPresent(path, logger);
  if (text === undefined) return undefined;
  try {
    const { start, end, codec, sha256, bytes } = JSON.parse(text) as Record<string, unknown>;
    if (
      Number.isSafeInteger(start) && Number.isSafeInteger(end) && (end as number) > (start as number) && typeof codec === 'string' &&
      typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256) && Number.isSafeInteger(bytes)
    ) {
      return { start: start as number, end: end as number, codec, sha256, bytes: bytes as number };
    }
  } catch (error) {
    // cut short by the crash: as if absent
    logger.info({ path, err: error }, 'recovery note cut short; treated as absent');
  }
  return undefined;
}

/** Tools needed to repair and index orphaned segments. */
export interface RecoveryTools {
  root: string;
  ffmpegPath: string;
  ffprobePath: string;
  runner: ProcessRunner;
  logger: Logger;
}

/**
 * Reads a run journal. A missing, cut short (a full disk) or otherwise unreadable journal gives `{}` (times then
 * come from the files), so one bad file never stops the recorder from starting.
 */
async function readJournal(path: string, logger: Logger): Promise<RunJournal> {
  const text = await readIfPresent(path, logger);
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) throw new WardwatchError('STORAGE_CORRUPT', `run journal ${path} is not a JSON object`);
    const { anchor, lastClosedEnd, codec } = parsed as Record<string, unknown>;
    const journal: RunJournal = {};
    if (typeof anchor === 'number' && Number.isFinite(anchor)) journal.anchor = anchor;
    if (typeof lastClosedEnd === 'number' && Number.isFinite(lastClosedEnd)) journal.lastClosedEnd = lastClosedEnd;
    if (typeof codec === 'string') journal.codec = codec;
    return journal;
  } catch (error) {
    logger.warn({ path, err: error }, 'run journal unreadable; segment times come from the files');
    return {};
  }
}

/** What ffmpeg says of an input that holds no readable media. */
const INVALID_MEDIA = /Invalid data found|moov atom not found|could not find codec parameters|does not contain any stream|Output file is empty|Output file #0 does not contain/i;

/** Writes a run journal atomically (a temporary file flushed to disk, then renamed over it). */
async function writeJournal(path: string, journal: RunJournal): Promise<void> {
  const temporary = `${path}${JOURNAL_TEMP_SUFFIX}`;
  await writeDurably(temporary, JSON.stringify(journal));
  await rename(temporary, path);
  await fsyncDirectory(dirname(path));
}

/** Writes a small file and flushes it to the disk before resolving. */
async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `path`, or `path.1`, `path.2`, ... : the first name not taken (a kept file never replaces another). */
async function unusedName(path: string): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const candidate = i === 0 ? path : `${path}.${i}`;
    if (!(await stat(candidate).then(() => true, () => false))) return candidate;
  }
  throw new WardwatchError('STORAGE_IO', `no free name for ${path}`);
}

/**
 * Remuxes a possibly truncated fragmented MP4 into a clean one by stream copy. Only a remux that ffmpeg finished
 * without error counts: a partial output (a disk that filled up meanwhile) must never replace the original.
 */
async function repair(tools: RecoveryTools, src: string, dest: string): Promise<'ok' | 'invalid' | 'failed' | 'no-space'> {
  const proc = tools.runner.spawn(tools.ffmpegPath, [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-err_detect', 'ignore_err',
    ...FILE_INPUT_WHITELIST, '-i', src, '-map', '0', '-c', 'copy',
    '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', '-y', dest,
  ]);
  const exit = await proc.exited;
  const size = await stat(dest).then((s) => s.size, () => 0);
  if (exit.code !== 0) {
    tools.logger.warn({ src, tail: exit.stderrTail }, 'repair remux failed; the original is kept');
    if (exit.stderrTail.some((line) => /No space left on device/i.test(line))) return 'no-space';
    // the content itself is unreadable (it will be every time); anything else (a signal, an I/O error) may pass
    return exit.code !== null && exit.stderrTail.some((line) => INVALID_MEDIA.test(line)) ? 'invalid' : 'failed';
  }
  return size > 0 ? 'ok' : 'invalid';
}

/**
 * Repairs, probes, hashes and moves into place the segments left in `<cameraId>/.incoming` by runs that
 * ended without listing them (a crash or kill), then removes those runs' journals and report pipes. Every run of
 * the camera is taken, so it must not be recording meanwhile: it is called before recording starts and between two
 * runs (which also retries files an earlier recovery held back). Files that hold no playable video are renamed
 * `*.unplayable` and kept.
 */
export async function recoverIncoming(tools: RecoveryTools, cameraId: string): Promise<Segment[]> {
  const dir = resolveInside(tools.root, join(cameraId, INCOMING_DIR));
  const names = await readdir(dir).catch(() => [] as string[]);
  const runs = new Map<string, Array<{ name: string; index: number }>>();
  const journals: string[] = [];
  for (const name of names) {
    const journalOf = /^(\d+)\.json$/.exec(name);
    if (journalOf) journals.push(name);
    const placed = /^(\d+)-\d+\.mp4\.placed\.json$/.exec(name);
    // a note whose original is gone: the crash came after the unlink, the segment in place is indexed by the scan
    if (placed && !names.includes(name.slice(0, -PLACED_SUFFIX.length))) await rm(join(dir, name), { force: true });
    if (/^\d+\.json\.tmp$/.test(name)) await rm(join(dir, name), { force: true }); // a journal rewrite cut short
    const fifo = /^(\d+)\.pipe$/.exec(name);
    // a report pipe left by a crash (the running recorder removes its own)
    if (fifo) await rm(join(dir, name), { force: true });
    const m = /^(\d+)-(\d+)\.mp4$/.exec(name);
    if (!m) continue;
    const [, run, index] = m as unknown as [string, string, string];
    const list = runs.get(run) ?? [];
    list.push({ name, index: Number.parseInt(index, 10) });
    runs.set(run, list);
  }
  const recovered: Segment[] = [];
  const keepJournal = new Set<string>();
  for (const [run, files] of [...runs.entries()].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    files.sort((a, b) => a.index - b.index);
    const journalPath = join(dir, `${run}.json`);
    const journal = await readJournal(journalPath, tools.logger);
    let next = journal.lastClosedEnd ?? journal.anchor;
    for (const file of files) {
      const src = join(dir, file.name);
      const fixed = join(dir, `${file.name}.fixed.mp4`);
      const note = `${src}${PLACED_SUFFIX}`;
      // a file that cannot be recovered now stops its run (`break`): the files after it are placed after it, so
      // they wait (with the journal) for the next recovery rather than take its time
      try {
        const placed = await readPlaced(note, tools.logger);
        if (placed) {
          // a crash between placing the repaired copy and removing the original: if the copy is there, intact,
          // it is the segment; otherwise the original is repaired again and whatever has that name is left alone
          const rel = segmentRelativePath(cameraId, placed.start);
          const found = await hashFile(resolveInside(tools.root, rel)).catch((error: unknown) => {
            tools.logger.info({ cameraId, path: rel, err: error }, 'placed copy not readable; the original is repaired again');
            return undefined;
          });
          if (found && found.sha256 === placed.sha256 && found.bytes === placed.bytes) {
            next = placed.end;
            await writeJournal(journalPath, { ...journal, lastClosedEnd: next });
            await unlink(src);
            await rm(note, { force: true });
            recovered.push({ cameraId, start: placed.start, end: placed.end, path: rel, bytes: found.bytes, codec: placed.codec, sha256: found.sha256 });
            tools.logger.info({ cameraId, path: rel }, 'recovered segment found already in place; original removed');
            continue;
          }
        }
        await rm(note, { force: true });
        const repaired = await repair(tools, src, fixed);
        // probed only after a clean remux; a probe that fails for another reason than the content holds the run back
        const info = repaired === 'ok' ? await probeMedia(tools.ffprobePath, fixed) : undefined;
        if (repaired === 'no-space' || repaired === 'failed') {
          // left as it is, with its journal, for the next recovery (once there is room, or the fault is gone)
          await rm(fixed, { force: true });
          keepJournal.add(run);
          break;
        }
        if (!info || !info.codec || info.duration <= 0) {
          await rm(fixed, { force: true });
          await rename(src, await unusedName(`${src}.unplayable`));
          tools.logger.warn({ cameraId, file: file.name }, 'orphaned segment holds no playable video; kept as .unplayable');
          continue;
        }
        const durationMs = Math.round(info.duration * 1000);
        const mtime = (await stat(src)).mtimeMs;
        const start = await freeSegmentStart(tools.root, cameraId, Math.round(next ?? mtime - durationMs));
        const end = start + durationMs;
        const rel = segmentRelativePath(cameraId, start);
        const dest = resolveInside(tools.root, rel);
        await mkdir(dirname(dest), { recursive: true, mode: 0o750 });
        const { sha256, bytes } = await hashFile(fixed);
        // placing the copy and removing the original are two steps: the note, on disk before the copy moves,
        // lets the next start recognise the copy (by its hash) if a crash comes in between
        // like a finished segment: nothing for other users, read-only for the group at most
        await chmod(fixed, (await stat(fixed)).mode & 0o640);
        await fsyncFile(fixed);
        await writeDurably(note, JSON.stringify({ start, end, codec: info.codec, sha256, bytes }));
        await rename(fixed, dest);
        await fsyncDirectory(dirname(dest));
        // the journal follows before the original goes, so a later file of this run (now or after a crash) is
        // placed after this one
        next = end;
        await writeJournal(journalPath, { ...journal, lastClosedEnd: next });
        await unlink(src);
        await rm(note, { force: true });
        recovered.push({ cameraId, start, end, path: rel, bytes, codec: info.codec, sha256 });
        tools.logger.info({ cameraId, path: rel, start, end }, 'recovered orphaned segment');
      } catch (error) {
        await rm(fixed, { force: true }).catch((rmError: unknown) => tools.logger.warn({ cameraId, path: fixed, err: rmError }, 'partial repair not removed'));
        // left for the next recovery, which needs the run's timing from its journal
        keepJournal.add(run);
        tools.logger.error({ cameraId, file: file.name, err: error }, 'segment recovery failed; file and journal left in place');
        break;
      }
    }
  }
  // the journals of these runs are done with (a run that ended cleanly left one and nothing else)
  const finished = new Set([...journals.map((name) => name.slice(0, -'.json'.length)), ...runs.keys()]);
  for (const run of finished) if (!keepJournal.has(run)) await rm(join(dir, `${run}.json`), { force: true });
  return recovered;
}

/**
 * Finds segment files in the camera's dated tree (`<YYYY-MM-DD>/<HH>/<start>.mp4`) started at or after `since`,
 * for which `isIndexed(start)` is false; probes and hashes them. Files without playable video (empty ones, left by
 * a power cut before their data reached the disk, included) are renamed `*.unplayable` and kept.
 */
export async function findUnindexed(
  tools: RecoveryTools,
  cameraId: string,
  since: number,
  isIndexed: (start: number) => Promise<boolean>,
): Promise<Segment[]> {
  const camDir = resolveInside(tools.root, cameraId);
  const sinceDay = new Date(since).toISOString().slice(0, 10);
  const days = (await readdir(camDir).catch(() => [] as string[])).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && d >= sinceDay).sort();
  const found: Segment[] = [];
  for (const day of days) {
    const hours = (await readdir(join(camDir, day)).catch(() => [] as string[])).filter((h) => /^\d{2}$/.test(h)).sort();
    for (const hour of hours) {
      const files = (await readdir(join(camDir, day, hour)).catch(() => [] as string[])).filter((f) => /^\d+\.mp4$/.test(f));
      for (const f of files.sort()) {
        const start = Number.parseInt(f, 10);
        if (start < since || (await isIndexed(start))) continue;
        const rel = `${cameraId}/${day}/${hour}/${f}`;
        const full = resolveInside(tools.root, rel);
        try {
          const empty = (await stat(full)).size === 0;
          const info = empty ? undefined : await probeMedia(tools.ffprobePath, full, { countPackets: true });
          // (ffprobe leaves the packet count out when there are none; a duration alone is enough to keep a file)
          if (!info?.codec || (!(info.videoPackets !== undefined && info.videoPackets > 0) && info.duration <= 0)) {
            // empty (a power cut before the data reached the disk) or without a single frame: nothing to index
            await rename(full, await unusedName(`${full}.unplayable`));
            tools.logger.warn({ cameraId, path: rel }, 'unindexed segment holds no playable video; kept as .unplayable');
            continue;
          }
          if (info.duration <= 0) {
            // frames but no duration ffprobe can tell: not indexed as an empty stretch, left for a person to look at
            tools.logger.warn({ cameraId, path: rel }, 'unindexed segment has no measurable duration; left in place, not indexed');
            continue;
          }
          const { sha256, bytes } = await hashFile(full);
          found.push({ cameraId, start, end: start + Math.round(info.duration * 1000), path: rel, bytes, codec: info.codec ?? 'unknown', sha256 });
        } catch (error) {
          tools.logger.warn({ cameraId, path: rel, err: error }, 'unindexed segment could not be probed');
        }
      }
    }
  }
  return found;
}
