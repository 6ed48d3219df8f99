import type { EventQuery, EventRepository } from '../contracts/storage-adapter.js';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { StationEventEnvelopeSchema, type StoredEvent } from '../model/station-event.js';
import { checkEventQuery } from './check-event-query.js';
import { checkStorageRecord } from './check-storage-record.js';
import { eventIdBound, formatEventId } from './event-id.js';
import type { MemoryContext } from './memory-context.js';
import { lowerBound, upperBound } from './sorted-search.js';

interface StoredEventEntry {
  id: string;
  type: string;
  json: string;
}

const byId = (e: StoredEventEntry): string => e.id;

/** The station events of a memory storage: sorted by id (time, then sequence), also per camera. */
export function createMemoryEventRepository(context: MemoryContext): EventRepository {
  const { assertOpen, maxBytes } = context;
  const allEvents: StoredEventEntry[] = [];
  const eventsByCamera = new Map<string, StoredEventEntry[]>();
  let eventSeq = 0;
  const insertSorted = (list: StoredEventEntry[], entry: StoredEventEntry): void => {
    const last = list[list.length - 1];
    if (last === undefined || entry.id > last.id) list.push(entry);
    else list.splice(lowerBound(list, entry.id, byId), 0, entry);
  };
  const events: EventRepository = {
    async append(event) {
      return (await events.appendMany([event]))[0] as StoredEvent;
    },
    async appendMany(input) {
      assertOpen();
      if (!Array.isArray(input)) throw new WardwatchError('INVALID_ARGUMENT', 'appendMany expects an array of events');
      const checked = input.map((e) => checkStorageRecord(StationEventEnvelopeSchema, e, `${String((e as { type?: unknown })?.type)} event`, maxBytes));
      return checked.map(({ value, json: envelope }) => {
        const id = formatEventId(value.at, ++eventSeq);
        // The envelope JSON is a non-empty object: append the id instead of serialising again.
        const json = `${envelope.slice(0, -1)},"id":"${id}"}`;
        const entry: StoredEventEntry = { id, type: value.type, json };
        insertSorted(allEvents, entry);
        if (typeof value.cameraId === 'string') {
          let list = eventsByCamera.get(value.cameraId);
          if (!list) eventsByCamera.set(value.cameraId, (list = []));
          insertSorted(list, entry);
        }
        return JSON.parse(json) as StoredEvent;
      });
    },
    async query(query: EventQuery = {}) {
      assertOpen();
      const { limit, from, to, cameraId, types } = checkEventQuery(query);
      const list = cameraId === undefined ? allEvents : (eventsByCamera.get(cameraId) ?? []);
      const lo = from === undefined ? 0 : lowerBound(list, eventIdBound(from), byId);
      const hi = to === undefined ? list.length : lowerBound(list, eventIdBound(to), byId);
      const items: StoredEvent[] = [];
      let more = false;
      const visit = (entry: StoredEventEntry): boolean => {
        if (types !== undefined && !types.has(entry.type)) return true;
        if (items.length === limit) {
          more = true;
          return false;
        }
        items.push(JSON.parse(entry.json) as StoredEvent);
        return true;
      };
      if (query.reverse) {
        const start = query.after === undefined ? hi - 1 : Math.min(hi, lowerBound(list, query.after, byId)) - 1;
        for (let i = start; i >= lo; i--) if (!visit(list[i] as StoredEventEntry)) break;
      } else {
        const start = query.after === undefined ? lo : Math.max(lo, upperBound(list, query.after, byId));
        for (let i = start; i < hi; i++) if (!visit(list[i] as StoredEventEntry)) break;
      }
      const last = items[items.length - 1];
      return more && last ? { items, next: last.id } : { items };
    },
  };
  return events;
}
