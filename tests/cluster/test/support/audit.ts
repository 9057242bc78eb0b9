// The API server's audit log (global-setup.ts turns it on for the admin user's lists, reads and
// pod-proxy requests): what a client really asked for, with the URL and the times.
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { auditLogPath } from '../../src/control-plane.js';

export interface AuditEvent {
  verb: string;
  requestURI: string;
  userAgent?: string;
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp: string;
  stageTimestamp: string;
}

/** Events of requests received between `from` and `to` (ms since the epoch) whose user agent starts with `agent`. */
export function auditEvents(from: number, to: number, agent = 'gpio-fleet/'): AuditEvent[] {
  return readFileSync(auditLogPath(inject('clusterDir')), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent)
    .filter((e) => {
      const t = Date.parse(e.requestReceivedTimestamp);
      return t >= from && t <= to && (e.userAgent ?? '').startsWith(agent);
    });
}

/** The query parameters of an event's URL. */
export const query = (e: AuditEvent): URLSearchParams => new URL(e.requestURI, 'https://api').searchParams;

/**
 * The most requests that were open at the same moment. Each interval loses `slackMs` at its end:
 * the API server stamps a response complete a little after the client has read it and sent
 * its next request.
 */
export function peakInFlight(events: readonly AuditEvent[], slackMs = 20): number {
  const edges = events.flatMap((e) => [
    { t: Date.parse(e.requestReceivedTimestamp), d: 1 },
    { t: Date.parse(e.stageTimestamp) - slackMs, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (open += e.d));
  return peak;
}
