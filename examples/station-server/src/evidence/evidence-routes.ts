import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Subscription } from 'rxjs';
import { WardwatchError, toWardwatchError, type EvidenceService } from '@wardwatch/core';

/** What each evidence route requires; the server maps these to its own roles. */
export type EvidencePermission = 'evidence.export' | 'evidence.view' | 'holds.view' | 'holds.manage';

/** Dependencies of {@link registerEvidenceRoutes}. */
export interface EvidenceRouteDeps {
  /** The station's evidence service (or a getter, when it exists only while the station runs). */
  evidence: EvidenceService | (() => EvidenceService | undefined);
  /** The user name recorded as operator / actor in manifests and the audit log. */
  actorOf(request: FastifyRequest): string;
  /** A preHandler that authenticates and checks a permission; routes are open when omitted (tests only). */
  guard?: (permission: EvidencePermission) => preHandlerAsyncHookHandler;
  /** Throws (`NOT_FOUND`/`FORBIDDEN`) when the request's user may not see the camera. */
  checkCamera?: (request: FastifyRequest, cameraId: string) => void | Promise<void>;
  /** Camera clock offset measured by the driver session (`CameraSession.clockOffsetMs`), written to the manifest. */
  clockOffsetOf?: (cameraId: string) => number | undefined;
  /** Exports running at once; more are refused with `RATE_LIMITED`. @default 2 */
  maxRunningExports?: number;
  /** Finished jobs kept for polling. @default 100 */
  keepJobs?: number;
}

/** An export job as the API shows it. */
export interface EvidenceJob {
  id: string;
  cameraId: string;
  from: number;
  to: number;
  reason: string;
  caseId?: string;
  incidentId?: string;
  createdBy: string;
  startedAt: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  phase?: string;
  /** Overall progress 0..1. */
  ratio: number;
  evidenceId?: string;
  /** In listings of done jobs: whether the package's `.zip` has been written yet (it is written at the first download). */
  zipReady?: boolean;
  error?: { code: string; message: string };
}

/** What {@link registerEvidenceRoutes} returns: the job table, for shutdown and tests. */
export interface EvidenceRoutes {
  jobs(): EvidenceJob[];
  /** Cancels every running export and waits until each has cleaned up. */
  close(): Promise<void>;
}

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } } } as const;
const time = { type: 'integer', minimum: 0 } as const;

/**
 * Registers the evidence API on a Fastify app: export jobs (start, poll, cancel), list, record,
 * download of the `.zip`, verification, the station public key and holds. Views, downloads,
 * verifications, exports and holds are written to the audit log by the evidence service.
 * Every route that serves the `.zip` calls `ensureZip` first, so with the service's default
 * `zip: 'on-demand'` the first download writes it (verified, audited `evidence.zip`); listings
 * carry `zipReady` (whether it is written yet).
 */
export function registerEvidenceRoutes(app: FastifyInstance, deps: EvidenceRouteDeps): EvidenceRoutes {
  const service = (): EvidenceService => {
    const s = typeof deps.evidence === 'function' ? deps.evidence() : deps.evidence;
    if (!s) throw new WardwatchError('STATION_NOT_RUNNING', 'Evidence export is unavailable while the station is not running');
    return s;
  };
  const guard = (permission: EvidencePermission): { preHandler?: preHandlerAsyncHookHandler } => (deps.guard ? { preHandler: deps.guard(permission) } : {});
  const check = async (request: FastifyRequest, cameraId: string): Promise<void> => {
    await deps.checkCamera?.(request, cameraId);
  };
  const maxRunning = deps.maxRunningExports ?? 2;
  const keep = deps.keepJobs ?? 100;
  const jobs = new Map<string, EvidenceJob>();
  const running = new Map<string, { controller: AbortController; subscription: Subscription; finished: Promise<void> }>();

  /** Whether the export's `.zip` is written yet (never throws: a record whose paths cannot be resolved is not ready). */
  const zipReady = async (evidenceId: string): Promise<boolean> => {
    try {
      const { zip } = await service().packagePaths(evidenceId);
      return (await stat(zip)).isFile();
    } catch {
      return false;
    }
  };

  const trim = (): void => {
    const finished = [...jobs.values()].filter((j) => j.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - keep))) jobs.delete(job.id);
  };

  app.post<{ Body: { cameraId: string; from: number; to: number; reason: string; caseId?: string; incidentId?: string; stillsAt?: number[] } }>(
    '/evidence',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Starts a signed evidence export (trích xuất); poll `GET /evidence/jobs/:id` for progress.',
        body: {
          type: 'object',
          required: ['cameraId', 'from', 'to', 'reason'],
          additionalProperties: false,
          properties: {
            cameraId: { type: 'string', minLength: 1, maxLength: 64 },
            from: time,
            to: time,
            reason: { type: 'string', minLength: 1, maxLength: 2000 },
            caseId: { type: 'string', minLength: 1, maxLength: 200 },
            incidentId: { type: 'string', minLength: 1, maxLength: 64 },
            stillsAt: { type: 'array', maxItems: 20, items: time },
          },
        },
      },
      ...guard('evidence.export'),
    },
    async (request, reply) => {
      const body = request.body;
      await check(request, body.cameraId);
      const evidence = service();
      if (running.size >= maxRunning) throw new WardwatchError('RATE_LIMITED', `${running.size} exports are already running; try again when one finishes`);
      const job: EvidenceJob = {
        id: `job-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
        cameraId: body.cameraId,
        from: body.from,
        to: body.to,
        reason: body.reason,
        ...(body.caseId ? { caseId: body.caseId } : {}),
        ...(body.incidentId ? { incidentId: body.incidentId } : {}),
        createdBy: deps.actorOf(request),
        startedAt: Date.now(),
        state: 'running',
        ratio: 0,
      };
      jobs.set(job.id, job);
      const controller = new AbortController();
      const offset = deps.clockOffsetOf?.(body.cameraId);
      let settle!: () => void;
      const finished = new Promise<void>((resolve) => (settle = resolve));
      const subscription = evidence
        .exportEvidence({
          cameraId: body.cameraId,
          from: body.from,
          to: body.to,
          reason: body.reason,
          operator: job.createdBy,
          ...(body.caseId ? { caseId: body.caseId } : {}),
          ...(body.incidentId ? { incidentId: body.incidentId } : {}),
          ...(offset === undefined ? {} : { clockOffsetMs: offset }),
          ...(body.stillsAt && body.stillsAt.length > 0 ? { stillsAt: body.stillsAt } : {}),
          signal: controller.signal,
        })
        .subscribe({
          next: (event) => {
            if (event.type === 'progress') Object.assign(job, { phase: event.phase, ratio: event.ratio });
            else Object.assign(job, { state: 'done', ratio: 1, evidenceId: event.record.id });
          },
          error: (error: unknown) => {
            const coded = toWardwatchError(error);
            Object.assign(job, { state: coded.code === 'CANCELLED' ? 'cancelled' : 'failed', error: { code: coded.code, message: coded.message } });
            running.delete(job.id);
            trim();
            settle();
          },
          complete: () => {
            running.delete(job.id);
            trim();
            settle();
          },
        });
      if (job.state === 'running') running.set(job.id, { controller, subscription, finished });
      return reply.code(202).send(job);
    },
  );

  app.get('/evidence/jobs', { schema: { tags: ['evidence'], summary: 'Evidence export jobs of this server run (done ones with `zipReady`).' }, ...guard('evidence.view') }, async () => ({
    items: await Promise.all(
      [...jobs.values()].reverse().map(async (job) => (job.state === 'done' && job.evidenceId ? { ...job, zipReady: await zipReady(job.evidenceId) } : job)),
    ),
  }));

  const jobOf = async (request: FastifyRequest, id: string): Promise<EvidenceJob> => {
    const job = jobs.get(id);
    if (!job) throw new WardwatchError('NOT_FOUND', `Export job ${id} does not exist`);
    await check(request, job.cameraId);
    return job;
  };

  app.get<{ Params: { id: string } }>(
    '/evidence/jobs/:id',
    { schema: { tags: ['evidence'], summary: 'Progress of one export job.', params: idParams }, ...guard('evidence.view') },
    async (request) => jobOf(request, request.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    '/evidence/jobs/:id',
    { schema: { tags: ['evidence'], summary: 'Cancels a running export; nothing partial is left.', params: idParams }, ...guard('evidence.export') },
    async (request) => {
      const job = await jobOf(request, request.params.id);
      const run = running.get(job.id);
      if (!run) throw new WardwatchError('INVALID_STATE', `Export job ${job.id} is not running (${job.state})`);
      run.controller.abort();
      await run.finished;
      return job;
    },
  );

  app.get('/evidence/public-key', { schema: { tags: ['evidence'], summary: 'The station public key (PEM) that verifies evidence signatures.' } }, async (_request, reply) =>
    reply.type('application/x-pem-file').send(await service().publicKeyPem()),
  );

  app.get<{ Querystring: { cameraId?: string; incidentId?: string } }>(
    '/evidence',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Evidence exports, newest first, optionally of one camera or incident; `zipReady` tells whether the `.zip` is written yet (the first download writes it).',
        querystring: { type: 'object', additionalProperties: false, properties: { cameraId: { type: 'string' }, incidentId: { type: 'string' } } },
      },
      ...guard('evidence.view'),
    },
    async (request) => {
      const { cameraId, incidentId } = request.query;
      const records = await service().listEvidence({ ...(cameraId ? { cameraId } : {}), ...(incidentId ? { incidentId } : {}) });
      const visible = [];
      for (const record of records) {
        try {
          await check(request, record.cameraId);
        } catch {
          continue; // not visible to this user
        }
        visible.push({ ...record, zipReady: await zipReady(record.id) });
      }
      return { items: visible };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/evidence/:id',
    { schema: { tags: ['evidence'], summary: 'One evidence export record with `zipReady` (the view is audited).', params: idParams }, ...guard('evidence.view') },
    async (request) => {
      const record = await service().getEvidence(request.params.id);
      await check(request, record.cameraId);
      await service().recordView({ evidenceId: record.id, actor: deps.actorOf(request), action: 'view' });
      return { ...record, zipReady: await zipReady(record.id) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/evidence/:id/download',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Downloads the evidence package as .zip (audited); the first download writes the .zip from the verified folder (audited `evidence.zip`).',
        params: idParams,
      },
      ...guard('evidence.view'),
    },
    async (request, reply) => {
      const record = await service().getEvidence(request.params.id);
      await check(request, record.cameraId);
      const actor = deps.actorOf(request);
      const zip = await service().ensureZip(record.id, { actor });
      const info = await stat(zip).catch((error: unknown) => {
        throw toWardwatchError(error, 'NOT_FOUND', { evidenceId: record.id });
      });
      await service().recordView({ evidenceId: record.id, actor, action: 'download' });
      return reply
        .type('application/zip')
        .header('content-length', info.size)
        .header('content-disposition', `attachment; filename="${record.id}.zip"`)
        .send(createReadStream(zip));
    },
  );

  app.post<{ Params: { id: string }; Body: { zip?: boolean } | undefined }>(
    '/evidence/:id/verify',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Re-hashes the stored package (folder, or the `.zip` with `zip: true`, written first if need be) and checks its signature with the station key (audited).',
        params: idParams,
        body: { type: 'object', nullable: true, additionalProperties: false, properties: { zip: { type: 'boolean' } } },
      },
      ...guard('evidence.view'),
    },
    async (request) => {
      const record = await service().getEvidence(request.params.id);
      await check(request, record.cameraId);
      const result = await service().verifyEvidence(record.id, { publicKey: await service().publicKeyPem(), zip: request.body?.zip === true, actor: deps.actorOf(request) });
      const { manifest: _manifest, ...rest } = result;
      return rest;
    },
  );

  app.get<{ Querystring: { cameraId?: string; all?: boolean } }>(
    '/holds',
    {
      schema: {
        tags: ['holds'],
        summary: 'Evidence holds (active ones unless `all`).',
        querystring: { type: 'object', additionalProperties: false, properties: { cameraId: { type: 'string' }, all: { type: 'boolean' } } },
      },
      ...guard('holds.view'),
    },
    async (request) => {
      const { cameraId, all } = request.query;
      if (cameraId) await check(request, cameraId);
      return { items: await service().listHolds({ ...(cameraId ? { cameraId } : {}), ...(all ? {} : { active: true }) }) };
    },
  );

  app.post<{ Body: { cameraId: string; from: number; to: number; reason: string } }>(
    '/holds',
    {
      schema: {
        tags: ['holds'],
        summary: 'Holds a camera/time range so retention never deletes it (audited with who and why).',
        body: {
          type: 'object',
          required: ['cameraId', 'from', 'to', 'reason'],
          additionalProperties: false,
          properties: { cameraId: { type: 'string', minLength: 1, maxLength: 64 }, from: time, to: time, reason: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
      },
      ...guard('holds.manage'),
    },
    async (request, reply) => {
      await check(request, request.body.cameraId);
      const hold = await service().createHold({ ...request.body, actor: deps.actorOf(request) });
      return reply.code(201).send(hold);
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/holds/:id/release',
    {
      schema: {
        tags: ['holds'],
        summary: 'Releases a hold (audited with who and why).',
        params: idParams,
        body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } } },
      },
      ...guard('holds.manage'),
    },
    async (request) => service().releaseHold(request.params.id, { actor: deps.actorOf(request), reason: request.body.reason }),
  );

  app.post<{ Params: { id: string } }>(
    '/holds/incident/:id',
    {
      schema: { tags: ['holds'], summary: "Holds every camera/time range of an incident not yet held for it (audited).", params: idParams },
      ...guard('holds.manage'),
    },
    async (request, reply) => reply.code(201).send({ items: await service().holdIncident(request.params.id, deps.actorOf(request)) }),
  );

  const close = async (): Promise<void> => {
    const pending = [...running.values()];
    for (const run of pending) run.controller.abort();
    await Promise.all(pending.map((run) => run.finished));
  };
  app.addHook('onClose', async () => close());
  return { jobs: () => [...jobs.values()], close };
}
