import {
  checkEventQuery,
  checkStorageRecord,
  eventIdBound,
  formatEventId,
  StationEventEnvelopeSchema,
  WardwatchError,
  type EventQuery,
  type EventRepository,
  type StoredEvent,
} from '@wardwatch/core';
import type { LevelContext } from './level-context.js';
import type { WriteOp } from './write-queue.js';

/**
 * Station events on LevelDB: keyed by their time-ordered id in `events`, and indexed under
 * `cameraId!id` (value: the event type) in `events-by-camera`, so time, camera, type and paging
 * filters are range scans. The append
 * counter is stored in `meta` in the same batch as the events, so ids stay unique across restarts.
 */
export async function createLevelEventRepository(ctx: LevelContext): Promise<EventRepository> {
  const storedSeq = await ctx.sub.meta.get('event-seq');
  let seq = storedSeq === undefined ? 0 : Number(storedSeq);
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new WardwatchError('STORAGE_CORRUPT', `The event counter of the database at ${ctx.location} is unreadable: ${String(storedSeq)}`, { details: { path: ctx.location } });
  }

  const repository: EventRepository = {
    async append(event) {
      return (await repository.appendMany([event]))[0] as StoredEvent;
    },
    async appendMany(input) {
      ctx.assertOpen();
      if (!Array.isArray(input)) throw new WardwatchError('INVALID_ARGUMENT', 'appendMany expects an array of events');
      const checked = input.map((e) => checkStorageRecord(StationEventEnvelopeSchema, e, `${String((e as { type?: unknown } | null)?.type)} event`, ctx.maxRecordBytes));
      const ops: WriteOp[] = [];
      const stored: StoredEvent[] = [];
      for (const { value, json } of checked) {
        const id = formatEventId(value.at, ++seq);
        // The envelope JSON is a non-empty object: append the id instead of serialising again.
        const withId = `${json.slice(0, -1)},"id":"${id}"}`;
        stored.push({ ...value, id } as StoredEvent);
        ops.push({ type: 'put', sublevel: ctx.sub.events, key: id, value: withId });
        if (typeof value.cameraId === 'string') ops.push({ type: 'put', sublevel: ctx.sub.eventsByCamera, key: `${value.cameraId}!${id}`, value: value.type });
      }
      if (ops.length > 0) ops.push({ type: 'put', sublevel: ctx.sub.meta, key: 'event-seq', value: String(seq) });
      await ctx.write(ops, 'event');
      return stored;
    },
    query(query: EventQuery = {}) {
      return ctx.read(async () => {
        const { limit, from, to, cameraId, types } = checkEventQuery(query);
        if (types?.size === 0) return { items: [] };
        const sublevel = cameraId === undefined ? ctx.sub.events : ctx.sub.eventsByCamera;
        const prefix = cameraId === undefined ? '' : `${cameraId}!`;
        const bounds: { gt?: string; gte?: string; lt?: string; reverse?: boolean } = {};
        const low = prefix + (from === undefined ? '' : eventIdBound(from));
        const high = to === undefined ? (cameraId === undefined ? undefined : `${cameraId}"`) : prefix + eventIdBound(to);
        if (query.reverse) {
          bounds.reverse = true;
          if (low !== '') bounds.gte = low;
          const cursor = query.after === undefined ? undefined : prefix + query.after;
          if (cursor !== undefined && (high === undefined || cursor < high)) bounds.lt = cursor;
          else if (high !== undefined) bounds.lt = high;
        } else {
          const cursor = query.after === undefined ? undefined : prefix + query.after;
          if (cursor !== undefined && cursor >= low) bounds.gt = cursor;
          else if (low !== '') bounds.gte = low;
          if (high !== undefined) bounds.lt = high;
        }
        const items: StoredEvent[] = [];
        let more = false;
        const iterator = sublevel.iterator(bounds);
        try {
          outer: for (;;) {
            const chunk = await iterator.nextv(Math.min(1000, limit + 1));
            if (chunk.length === 0) break;
            let events: Array<string | undefined>;
            if (cameraId === undefined) {
              events = chunk.map(([, json]) => json);
            } else {
              // The camera index holds the type: fetch only the events that pass the type filter.
              const wanted = chunk.filter(([, type]) => types === undefined || types.has(type)).map(([key]) => key.slice(prefix.length));
              events = wanted.length === 0 ? [] : await ctx.sub.events.getMany(wanted);
            }
            for (const json of events) {
              if (json === undefined) continue;
              const event = JSON.parse(json) as StoredEvent;
              if (types !== undefined && !types.has(event.type)) continue;
              if (cameraId !== undefined && (event as { cameraId?: string }).cameraId !== cameraId) continue;
              if (items.length === limit) {
                more = true;
                break outer;
              }
              items.push(event);
            }
          }
        } finally {
          await iterator.close();
        }
        const last = items[items.length - 1];
        return more && last ? { items, next: last.id } : { items };
      });
    },
  };
  return repository;
}
