import type { ApiErrorBody } from '../../src/api/api-types.js';

// The API's types come from the server's own module (`src/api/api-types.ts`), never copied here.

/** An error answered by the station API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** The error of a failed answer: the API's `{ error }` body when it sent one, else the HTTP status text. */
  static async of(response: Response): Promise<ApiError> {
    const body = response.headers.get('content-type')?.includes('application/json') ? ((await response.json()) as Partial<ApiErrorBody>) : {};
    return new ApiError(response.status, body.error?.code ?? 'INTERNAL', body.error?.message ?? response.statusText);
  }
}

/** Calls the station API with the session cookie; throws {@link ApiError} on an error answer. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    credentials: 'same-origin',
    ...(init.body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }),
  });
  if (response.status === 204) return undefined as T;
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent('ww-unauthenticated'));
    throw await ApiError.of(response);
  }
  return (await response.json()) as T;
}

export type {
  ApiErrorBody,
  ApiUser,
  CameraView,
  EventItem,
  ExportJobView,
  HealthAnswer,
  ItemsAnswer,
  LiveAnswer,
  MeAnswer,
  PlaybackAnswer,
  RecordingsAnswer,
  StationInfo,
} from '../../src/api/api-types.js';
export type { Permission, Role } from '../../src/auth/roles.js';
