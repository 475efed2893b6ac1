/**
 * The background's message gate: every request is checked for sender, envelope, type and payload
 * before a handler runs; anything else gets a clear error and changes nothing.
 */
import { ZodError } from 'zod';
import { validate } from '../../domain/validate';
import { isCrmUrl } from '../../crm/hosts';
import {
  PROTOCOL,
  requestSchema,
  validationError,
  type MessageType,
  type ProtocolError,
  type Response,
  type SenderKind,
} from '../../domain/protocol';
import type { Handlers } from './handlers';

export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string };
}

/** Which of our contexts sent a message, or null for anything we do not accept. */
export function senderKind(sender: SenderInfo, extensionId: string, extensionOrigin: string): SenderKind | null {
  if (sender.id !== extensionId) return null;
  const url = sender.url ?? sender.tab?.url;
  if (!url) return null;
  if (url.startsWith(extensionOrigin + '/')) return 'extension';
  if (sender.tab && isCrmUrl(url)) return 'content';
  return null;
}

const fail = (error: ProtocolError): Response<never> => ({ ok: false, error });

export function createRouter(handlers: Handlers, extensionId: string, extensionOrigin: string) {
  return async function route(raw: unknown, sender: SenderInfo): Promise<Response<unknown>> {
    const kind = senderKind(sender, extensionId, extensionOrigin);
    if (!kind) return fail({ code: 'forbidden', message: 'Messages are accepted only from Committee Lens on a CRM page or from its own pages.' });
    const envelope = validate(requestSchema, raw);
    if (!envelope.success) return fail(validationError(envelope.error, 'Not a Committee Lens request'));
    const { type, payload } = envelope.data;
    if (!Object.hasOwn(PROTOCOL, type)) return fail({ code: 'unknown_type', message: `Unknown message type "${type}".` });
    const definition = PROTOCOL[type as MessageType];
    if (!definition.from.includes(kind))
      return fail({ code: 'forbidden', message: `"${type}" cannot be sent from a ${kind === 'content' ? 'CRM page' : 'extension page'}.` });
    const parsed = validate(definition.payload, payload);
    if (!parsed.success) return fail(validationError(parsed.error, `Invalid "${type}" payload`));
    try {
      const handler = handlers[type as MessageType] as (p: unknown, from: SenderKind) => Promise<unknown>;
      return { ok: true, data: await handler(parsed.data, kind) };
    } catch (error) {
      if (error instanceof ZodError) return fail(validationError(error, `Invalid "${type}" data`));
      if (error instanceof HandlerError) return fail(error.error);
      console.error(`Committee Lens: "${type}" failed`, error);
      return fail({ code: 'internal', message: `"${type}" failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
}

/** An expected failure a handler reports to the caller as it is. */
export class HandlerError extends Error {
  constructor(readonly error: ProtocolError) {
    super(error.message);
  }
}

/** The part of a service worker's `message` event that `answerOnPort` reads. */
export interface PortRequestEvent {
  data: unknown;
  ports: readonly MessagePort[];
  source: { url?: string } | null;
  waitUntil?(promise: Promise<unknown>): void;
}

/**
 * Requests posted to the worker itself (`ServiceWorker.postMessage` with a reply port): our own pages
 * send a backup file this way (storage/client.ts). Only same-origin clients, our own pages, can
 * reach the worker so, and each request passes the same gate as any other message.
 */
export function answerOnPort(route: ReturnType<typeof createRouter>, extensionId: string) {
  return (event: PortRequestEvent) => {
    const port = event.ports[0];
    if (!port) return;
    // An answer that cannot be posted (or a failed route) still gets a reply: the page waits for one.
    const answered = route(event.data, { id: extensionId, url: event.source?.url })
      .then((response) => port.postMessage(response))
      .catch((error: unknown) => port.postMessage(fail({ code: 'internal', message: error instanceof Error ? error.message : String(error) })));
    // The worker stays alive until the answer has left (an import can take a while).
    event.waitUntil?.(answered);
  };
}
