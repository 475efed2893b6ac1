/**
 * A local HTTPS server that plays the CRM hosts: Chromium's host-resolver rules send
 * `*.lightning.force.com`, `app.hubspot.com`, … to it, so pages load under their real URLs and the
 * extension's match patterns apply as in production. Pages come from a route function.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { localCertificate } from './certs';

export type Route = (url: URL) => string | null;

export interface CrmServer {
  port: number;
  /** Chromium flag mapping every CRM host to this server. */
  resolverRule: string;
  /** Replace the pages served (tests switch fixtures). */
  setRoute(route: Route): void;
  close(): Promise<void>;
}

export const CRM_HOST_PATTERNS = ['*.lightning.force.com', '*.my.salesforce.com', '*.salesforce.com', 'app.hubspot.com', '*.hubspot.com'];

export async function startCrmServer(route: Route, port = 0): Promise<CrmServer> {
  let current = route;
  const server: Server = createServer(localCertificate(), (req, res) => {
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? 'localhost'}`);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const html = current(url);
    if (html === null) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Not found</title><h1>Not found</h1>');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    resolverRule: CRM_HOST_PATTERNS.map((h) => `MAP ${h} 127.0.0.1:${actual}`).join(','),
    setRoute(r) {
      current = r;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
