import {
  checkLimit,
  checkOptionalString,
  checkStorageRecord,
  createSerialQueue,
  IncidentSchema,
  type Incident,
  type IncidentQuery,
  type IncidentRepository,
} from '@wardwatch/core';
import type { LevelContext } from './level-context.js';
import type { WriteOp } from './write-queue.js';

/** Escapes `%` and `!` so an indexed value can never run into the key separator. */
function escapeIndexValue(value: string): string {
  return value.replace(/%/g, '%25').replace(/!/g, '%21');
}

/** The key prefix of one index value: `field!value!`. */
export function incidentIndexPrefix(field: 'status' | 'category' | 'station' | 'camera', value: string): string {
  return `${field}!${escapeIndexValue(value)}!`;
}

/** Every secondary-index key of an incident. */
export function incidentIndexKeys(incident: Incident): string[] {
  const keys = [
    incidentIndexPrefix('status', incident.status) + incident.id,
    incidentIndexPrefix('category', incident.category) + incident.id,
    incidentIndexPrefix('station', incident.station) + incident.id,
  ];
  for (const cameraId of new Set(incident.ranges.map((r) => r.cameraId))) keys.push(incidentIndexPrefix('camera', cameraId) + incident.id);
  return keys;
}

function matches(incident: Incident, query: IncidentQuery): boolean {
  return (
    (query.status === undefined || incident.status === query.status) &&
    (query.category === undefined || incident.category === query.category) &&
    (query.station === undefined || incident.station === query.station) &&
    (query.cameraId === undefined || incident.ranges.some((r) => r.cameraId === query.cameraId))
  );
}

/**
 * Incidents on LevelDB with secondary indexes `field!value!id` (status, category, station, camera)
 * written in the same atomic batch as the record; an update deletes the index keys of the previous
 * version. Puts are serialised so two quick updates of one incident never both read the same
 * previous version.
 */
export function createLevelIncidentRepository(ctx: LevelContext): IncidentRepository {
  /** The latest enqueued, not yet acknowledged version of each incident. */
  const pending = new Map<string, Incident>();
  // puts are prepared one at a time (each reads the index entries the one before it wrote)
  const lock = createSerialQueue();

  const readIncident = async (id: string): Promise<Incident | undefined> => {
    const json = await ctx.sub.incidents.get(id);
    return json === undefined ? undefined : (JSON.parse(json) as Incident);
  };

  return {
    async put(incident) {
      ctx.assertOpen();
      const { value, json } = checkStorageRecord(IncidentSchema, incident, 'incident', ctx.maxRecordBytes);
      const enqueue = async (): Promise<{ written: Promise<void> }> => {
        const previous = pending.get(value.id) ?? (await ctx.read(() => readIncident(value.id)));
        const next = new Set(incidentIndexKeys(value));
        const ops: WriteOp[] = [];
        if (previous) for (const key of incidentIndexKeys(previous)) if (!next.has(key)) ops.push({ type: 'del', sublevel: ctx.sub.incidentIndex, key });
        for (const key of next) ops.push({ type: 'put', sublevel: ctx.sub.incidentIndex, key, value: '' });
        ops.push({ type: 'put', sublevel: ctx.sub.incidents, key: value.id, value: json });
        pending.set(value.id, value);
        return { written: ctx.write(ops, 'record') };
      };
      const { written } = await lock.run(enqueue);
      try {
        await written;
      } finally {
        if (pending.get(value.id) === value) pending.delete(value.id);
      }
    },
    get(id) {
      return ctx.read(() => readIncident(id));
    },
    query(query: IncidentQuery = {}) {
      return ctx.read(async () => {
        const limit = checkLimit(query.limit, 100);
        const after = checkOptionalString(query.after, 'after');
        const status = checkOptionalString(query.status, 'status');
        const category = checkOptionalString(query.category, 'category');
        const station = checkOptionalString(query.station, 'station');
        const cameraId = checkOptionalString(query.cameraId, 'cameraId');
        const prefix =
          cameraId !== undefined
            ? incidentIndexPrefix('camera', cameraId)
            : category !== undefined
              ? incidentIndexPrefix('category', category)
              : station !== undefined
                ? incidentIndexPrefix('station', station)
                : status !== undefined
                  ? incidentIndexPrefix('status', status)
                  : undefined;
        const items: Incident[] = [];
        let more = false;
        const take = (incident: Incident | undefined): boolean => {
          if (!incident || !matches(incident, query)) return true;
          if (items.length === limit) {
            more = true;
            return false;
          }
          items.push(incident);
          return true;
        };
        if (prefix === undefined) {
          const iterator = ctx.sub.incidents.iterator(after === undefined ? {} : { gt: after });
          try {
            outer: for (;;) {
              const chunk = await iterator.nextv(Math.min(1000, limit + 1));
              if (chunk.length === 0) break;
              for (const [, json] of chunk) if (!take(JSON.parse(json) as Incident)) break outer;
            }
          } finally {
            await iterator.close();
          }
        } else {
          const high = `${prefix.slice(0, -1)}"`;
          const iterator = ctx.sub.incidentIndex.keys(after === undefined ? { gte: prefix, lt: high } : { gt: prefix + after, lt: high });
          try {
            outer: for (;;) {
              const keys = await iterator.nextv(Math.min(1000, limit + 1));
              if (keys.length === 0) break;
              const values = await ctx.sub.incidents.getMany(keys.map((k) => k.slice(prefix.length)));
              for (const json of values) if (!take(json === undefined ? undefined : (JSON.parse(json) as Incident))) break outer;
            }
          } finally {
            await iterator.close();
          }
        }
        const last = items[items.length - 1];
        return more && last ? { items, next: last.id } : { items };
      });
    },
  };
}
