/**
 * How views (content scripts, popup, options) talk to the background worker: typed requests over the
 * one protocol, and a subscription to the change broadcast. Views never write IndexedDB themselves.
 */
import { browser } from 'wxt/browser';
import {
  isChangeBroadcast,
  type ChangeBroadcast,
  type MessageType,
  type Payload,
  type ProtocolError,
  type Response,
  type Result,
} from '../domain/protocol';

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
export function onChange(listener: (change: ChangeBroadcast) => void): () => void {
  const handler = (message: unknown) => {
    if (isChangeBroadcast(message)) listener(message);
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}
