// Routes an app adds (the mock's controls) reply in JSON, with one error shape for every app:
// 400 and {"error": "<what was wrong and what is accepted>"}.
import type { ServerResponse } from 'node:http';
import type { Route } from './server.js';

/** Handles a request body; throws an Error whose message says why the input is refused. */
export type JsonHandler = (body: string) => unknown;

export function replyJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
}

export function jsonRoute(handler: JsonHandler): Route {
  return async (_req, res, body) => {
    let reply: unknown;
    try {
      reply = await handler(body);
    } catch (err) {
      replyJson(res, 400, { error: err instanceof Error ? err.message : String(err) });
      return;
    }
    replyJson(res, 200, reply);
  };
}
