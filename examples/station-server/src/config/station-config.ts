import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CameraSpecSchema, WardwatchError, describeIssues, type CameraSpec } from '@wardwatch/core';
import { z } from 'zod';

const port = z.number().int().min(0, 'must be a port number 0-65535').max(65535, 'must be a port number 0-65535');

/** Runtime schema of the `station.json` file given to `pnpm station --config`. */
export const StationConfigSchema = z
  .object({
    station: z.object({
      name: z.string().trim().min(1, 'must not be empty'),
      ward: z.string().trim().min(1, 'must not be empty'),
    }),
    /** Data directory (LevelDB, recordings, evidence, keys, users); relative to the config file. */
    dataDir: z.string().min(1, 'must not be empty').default('./data'),
    http: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8080),
        tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
        /** Behind a TLS reverse proxy: trust its `X-Forwarded-*` headers (true, or the proxy's addresses). */
        trustProxy: z.union([z.boolean(), z.string().min(1), z.array(z.string().min(1))]).default(false),
        /** Mark the session cookie `Secure` even when the request reached the server over plain HTTP. */
        secureCookies: z.boolean().default(false),
        /** Origins besides the server's own allowed to send unsafe requests. */
        allowedOrigins: z.array(z.string().url()).default([]),
      })
      .strict()
      .prefault({}),
    live: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().min(1).default('127.0.0.1'),
        rtmpPort: port.default(1935),
        httpPort: port.default(8000),
        /** Host name browsers use to reach the relay (when it differs from `host`). */
        publicHost: z.string().min(1).optional(),
        /** Serve viewers over TLS itself (`wss://` play URLs on `httpPort`, no plain listener): PEM files, relative to the config. */
        tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).strict().optional(),
        /** How long a signed play URL may be used to start playing, seconds (an open view lasts while its session keeps the right). */
        urlTtlSeconds: z.number().int().min(10).max(3600).default(60),
        /** The relay's public base URL behind a TLS proxy, e.g. `wss://station.example/live` (browsers refuse ws: from https: pages). */
        publicUrl: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL').optional(),
      })
      .strict()
      .prefault({}),
    recorder: z
      .object({
        segmentSeconds: z.number().int().min(2, 'must be at least 2 seconds').max(3600).default(60),
        transport: z.enum(['tcp', 'udp']).default('tcp'),
        /** Disk high-watermarks (ratios of the disk). */
        warnRatio: z.number().min(0.1).max(0.99).default(0.8),
        purgeRatio: z.number().min(0.1).max(0.99).default(0.9),
        targetRatio: z.number().min(0.1).max(0.99).default(0.85),
        /** Days kept for cameras whose spec gives none. */
        retentionDays: z.number().positive().max(3650).default(30),
      })
      .strict()
      .prefault({}),
    ffmpegPath: z.string().min(1).optional(),
    discovery: z.object({ port: port.optional(), address: z.string().optional() }).strict().optional(),
    security: z
      .object({
        /** Camera hosts that are (or resolve to) these networks are refused; `true` = link-local and cloud metadata addresses. */
        denyCameraHosts: z.union([z.boolean(), z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'must be a CIDR network'))]).default(false),
      })
      .strict()
      .prefault({}),
    /** Camera specs (see `CameraSpec`); `site` defaults to this station and ward. */
    cameras: z.array(z.unknown()).default([]),
  })
  .strict();

/** A validated station configuration with defaults applied and paths made absolute. */
export type StationConfig = Omit<z.output<typeof StationConfigSchema>, 'cameras'> & { cameras: CameraSpec[] };

/**
 * Validates a station configuration object, throwing `INVALID_CONFIG` whose message names every
 * bad field (e.g. `cameras.2.location.lat: must be a latitude between -90 and 90`). Relative paths
 * are resolved against `baseDir`.
 */
export function parseStationConfig(input: unknown, baseDir: string = process.cwd()): StationConfig {
  const problems: Array<{ path: string; message: string }> = [];
  const result = StationConfigSchema.safeParse(input);
  if (!result.success) problems.push(...describeIssues(result.error));
  const cameras: CameraSpec[] = [];
  if (result.success) {
    const site = { ward: result.data.station.ward, station: result.data.station.name };
    result.data.cameras.forEach((raw, index) => {
      const withSite = raw && typeof raw === 'object' && !Array.isArray(raw) ? { site, ...(raw as object) } : raw;
      const parsed = CameraSpecSchema.safeParse(withSite);
      if (!parsed.success) {
        problems.push(...describeIssues(parsed.error).map((p) => ({ path: `cameras.${index}.${p.path}`, message: p.message })));
        return;
      }
      if (cameras.some((c) => c.id === parsed.data.id)) problems.push({ path: `cameras.${index}.id`, message: `duplicate camera id "${parsed.data.id}"` });
      else cameras.push(parsed.data);
    });
  }
  if (problems.length > 0 || !result.success) {
    throw new WardwatchError('INVALID_CONFIG', `Invalid station config:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`, {
      details: { problems },
    });
  }
  const data = result.data;
  return {
    ...data,
    dataDir: resolve(baseDir, data.dataDir),
    ...(data.ffmpegPath ? { ffmpegPath: resolve(baseDir, data.ffmpegPath) } : {}),
    http: {
      ...data.http,
      ...(data.http.tls ? { tls: resolveTls(baseDir, data.http.tls) } : {}),
    },
    live: { ...data.live, ...(data.live.tls ? { tls: resolveTls(baseDir, data.live.tls) } : {}) },
    cameras,
  };
}

/** TLS file paths resolved against the config file's directory. */
function resolveTls(baseDir: string, tls: { certFile: string; keyFile: string }): { certFile: string; keyFile: string } {
  return { certFile: resolve(baseDir, tls.certFile), keyFile: resolve(baseDir, tls.keyFile) };
}

/** Reads and validates a `station.json`; unreadable or non-JSON files are `INVALID_CONFIG` too. */
export async function loadStationConfig(path: string): Promise<StationConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WardwatchError('INVALID_CONFIG', `Cannot read station config ${path}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WardwatchError('INVALID_CONFIG', `Station config ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseStationConfig(json, dirname(resolve(path)));
}
