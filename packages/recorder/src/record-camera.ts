import { Observable } from 'rxjs';
import { systemClock, WardwatchError, type CameraSession, type CameraSpec, type RecorderContext, type RecorderSignal } from '@wardwatch/core';
import { startCameraRecording, type CameraRecording } from './camera-recording.js';
import type { ProcessRunner } from './process-runner.js';
import { handOverSegments } from './recover-at-start.js';
import type { RecorderBinaries } from './recorder-binaries.js';
import { trackBackground, type RecorderState } from './recorder-state.js';
import type { ResolvedRecorderOptions } from './resolve-recorder-options.js';
import { streamPolicyOf } from './stream-policy.js';

/** Starts one camera's recording loop once its previous recording has finished (internal). */
async function startWhenFree(
  state: RecorderState,
  deps: { options: ResolvedRecorderOptions; runner: ProcessRunner; binaries: RecorderBinaries },
  context: RecorderContext,
  camera: CameraSpec,
  session: CameraSession,
  cancelled: () => boolean,
): Promise<CameraRecording | undefined> {
  const { options } = deps;
  // a recording of this camera that was just unsubscribed finishes (last segment delivered) first
  await state.stoppings.get(camera.id);
  const { ffmpegPath, ffprobePath, caps } = deps.binaries.get();
  const capabilities = await caps;
  const latest = await context.segments.latest(camera.id).catch((error: unknown) => {
    context.logger.warn({ cameraId: camera.id, err: error }, 'the latest indexed segment could not be read; the first gap is not reported');
    return undefined;
  });
  if (cancelled()) return undefined;
  if (state.stopRequested || !state.ticker || !state.finisher) throw new WardwatchError('INVALID_STATE', 'the recorder stopped before this recording started');
  const stream = camera.recording?.stream === 'sub' && session.streams.sub ? session.streams.sub : session.streams.main;
  return startCameraRecording({
    cameraId: camera.id,
    inputUri: stream.uri,
    streamPolicy: streamPolicyOf(camera),
    root: options.root,
    ffmpegPath,
    ffprobePath,
    capabilities,
    runner: deps.runner,
    ticker: state.ticker,
    finisher: state.finisher,
    clock: context.clock ?? systemClock,
    logger: context.logger,
    segmentSeconds: options.segmentSeconds,
    transport: options.transport,
    socketTimeoutMs: options.socketTimeoutMs,
    stallTimeoutMs: options.stallTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    graceMs: options.graceMs,
    backoff: options.backoff,
    includeAudio: options.includeAudio,
    gapToleranceMs: options.gapToleranceMs,
    ...(latest ? { previousEnd: latest.end } : {}),
    ...(options.live ? { liveUrl: () => options.live?.publishUrl(camera.id) } : {}),
    orphanSink: (segment) => {
      trackBackground(state, handOverSegments(context, [segment], false)).catch((error: unknown) =>
        context.logger.error({ cameraId: camera.id, err: error }, 'indexing a segment after unsubscribe failed'),
      );
    },
  });
}

/**
 * `recorder.record(camera, session)`: records while subscribed; unsubscribing stops the process (a re-record of
 * the same camera waits for it). Refused before `start()` has completed and while the camera is recorded.
 */
export function recordCamera(
  state: RecorderState,
  deps: { options: ResolvedRecorderOptions; runner: ProcessRunner; binaries: RecorderBinaries },
  camera: CameraSpec,
  session: CameraSession,
): Observable<RecorderSignal> {
  return new Observable<RecorderSignal>((subscriber) => {
    const context = state.context;
    if (!context || !state.ready) {
      subscriber.error(new WardwatchError('INVALID_STATE', 'recorder.start() must have completed before record()'));
      return undefined;
    }
    const { recordings, sessions, stoppings } = state;
    if (recordings.has(camera.id)) {
      subscriber.error(new WardwatchError('ALREADY_EXISTS', `camera ${camera.id} is already being recorded`));
      return undefined;
    }
    let recording: CameraRecording | undefined;
    let cancelled = false;
    const entry = { spec: camera, session };
    sessions.set(camera.id, entry);
    const placeholder = { signals$: new Observable<RecorderSignal>(), stop: async () => undefined, pid: () => undefined } as CameraRecording;
    recordings.set(camera.id, placeholder);
    const setup = startWhenFree(state, deps, context, camera, session, () => cancelled)
      .then((started) => {
        if (!started) return;
        recording = started;
        if (recordings.get(camera.id) === placeholder) recordings.set(camera.id, started);
        started.signals$.subscribe(subscriber);
      })
      .catch((error: unknown) => {
        if (recordings.get(camera.id) === placeholder) recordings.delete(camera.id);
        subscriber.error(error instanceof WardwatchError ? error : new WardwatchError('FFMPEG_FAILED', 'recording could not start', { cause: error }));
      });
    trackBackground(state, setup);
    return () => {
      cancelled = true;
      const current = recordings.get(camera.id);
      if (current === placeholder || (recording !== undefined && current === recording)) recordings.delete(camera.id);
      // a removed camera is no longer known to frames()/snapshot(); a re-record has already put its own entry
      if (sessions.get(camera.id) === entry) sessions.delete(camera.id);
      const stopping = (async () => {
        await setup;
        if (recording) await recording.stop();
      })();
      stoppings.set(camera.id, stopping);
      void stopping.finally(() => {
        if (stoppings.get(camera.id) === stopping) stoppings.delete(camera.id);
      });
      trackBackground(state, stopping);
    };
  });
}
