/**
 * How views (content scripts, popup, options) talk to the background worker: typed requests over the
 * one protocol, and a subscription to the change broadcast. Views never write IndexedDB themselves.
 */
import { browser } from 'wxt/browser';
import type {
  BackupFilePayload,
  ChangeBroadcast,
  MessageType,
  Payload,
  ProtocolError,
  Response,
  Result,
  ToggleBroadcast,
} from '../domain/protocol';

function isBroadcast<T extends { type: string }>(value: unknown, type: T['type']): value is T {
  const v = value as { channel?: unknown; type?: unknown } | null;
  return !!v && typeof v === 'object' && v.channel === 'committee-lens' && v.type === type;
}
export const isChangeBroadcast = (value: unknown): value is ChangeBroadcast =>
  isBroadcast<ChangeBroadcast>(value, 'changed') && Array.isArray(value.keys);
export const isToggleBroadcast = (value: unknown): value is ToggleBroadcast => isBroadcast<ToggleBroadcast>(value, 'toggle-panel');

export class ProtocolCallError extends Error {
  constructor(readonly error: ProtocolError) {
    super(error.message);
    this.name = 'ProtocolCallError';
  }
}

/**
 * Requests that carry a whole backup file. From our own pages (Chrome) they are posted to the worker
 * itself, with the file (a reference: the worker reads it) where runtime messaging's JSON would copy its
 * text. Everything else, and every content script, uses runtime messaging.
 */
const LARGE_REQUESTS: ReadonlySet<MessageType> = new Set<MessageType>(['import.preview', 'import.apply']);
/** Longer than Chrome lets a worker spend on one event (5 minutes): no answer by then means it was stopped. */
const WORKER_PORT_TIMEOUT_MS = 6 * 60_000;

/** The extension's service worker, when this is one of our own pages and there is one (not Firefox MV2). */
async function ownWorker(): Promise<ServiceWorker | null> {
  if (typeof navigator === 'undefined' || !navigator.serviceWorker || typeof location === 'undefined') return null;
  if (location.origin !== new URL(browser.runtime.getURL('/')).origin) return null;
  const registration = await navigator.serviceWorker.getRegistration().catch(() => undefined);
  return registration?.active ?? null;
}

function postToWorker(worker: ServiceWorker, message: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    const done = (answer: unknown) => {
      clearTimeout(timer);
      port1.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), WORKER_PORT_TIMEOUT_MS);
    port1.onmessage = (event) => done(event.data);
    worker.postMessage(message, [port2]);
  });
}

/** A backup file as the import requests carry it: the file itself to our own worker, else its text. */
export async function backupPayload(file: Blob): Promise<BackupFilePayload> {
  return (await ownWorker()) ? { file } : { text: await file.text() };
}

async function send(message: { channel: 'committee-lens'; type: MessageType; payload: unknown }): Promise<unknown> {
  const worker = LARGE_REQUESTS.has(message.type) ? await ownWorker() : null;
  return worker ? postToWorker(worker, message) : browser.runtime.sendMessage(message);
}

export async function call<T extends MessageType>(type: T, payload: Payload<T>): Promise<Result<T>> {
  const response = (await send({ channel: 'committee-lens', type, payload })) as
    | Response<Result<T>>
    | undefined;
  if (!response || typeof response !== 'object' || !('ok' in response))
    throw new ProtocolCallError({ code: 'internal', message: 'The background worker did not answer.' });
  if (!response.ok) throw new ProtocolCallError(response.error);
  return response.data;
}

/** Listen to the background's change broadcast; returns the unsubscribe function. */
export function onChange(listener: (change: ChangeBroadcast) => void, onToggle?: () => void): () => void {
  const handler = (message: unknown) => {
    if (isChangeBroadcast(message)) listener(message);
    else if (onToggle && isToggleBroadcast(message)) onToggle();
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}
