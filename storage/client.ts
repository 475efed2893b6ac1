/**
 * How views (content scripts, popup, options) talk to the background worker: typed requests over the
 * one protocol, and a subscription to the change broadcast. Views never write IndexedDB themselves.
 */
import { browser } from 'wxt/browser';
import type {
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

export async function call<T extends MessageType>(type: T, payload: Payload<T>): Promise<Result<T>> {
  const response = (await browser.runtime.sendMessage({ channel: 'committee-lens', type, payload })) as
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
