/** Large requests (a backup file) go from our own pages to the worker over its own message channel. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { openDb } from '../../storage/db';
import { createHandlers } from '../../entrypoints/background/handlers';
import { answerOnPort, createRouter, type PortRequestEvent } from '../../entrypoints/background/router';
import { backupPayload, call } from '../../storage/client';
import { serializeBackup } from '../../domain/formats/backup';
import { sampleStore } from './formats/fixtures';

const EXT = fakeBrowser.runtime.id;
const ORIGIN = `chrome-extension://${EXT}`;
const req = (type: string, payload: unknown) => ({ channel: 'committee-lens', type, payload });

describe('the worker answering on a reply port', () => {
  const db = openDb(`port-${crypto.randomUUID()}`);
  const route = createRouter(createHandlers({ db, now: () => 1000, broadcast: () => undefined }), EXT, ORIGIN);
  const answer = answerOnPort(route, EXT);

  function post(data: unknown, url: string | undefined): { reply: Promise<unknown>; waited: Promise<unknown>[] } {
    const { port1, port2 } = new MessageChannel();
    const reply = new Promise((resolve) => (port1.onmessage = (e) => (port1.close(), resolve(e.data))));
    const waited: Promise<unknown>[] = [];
    answer({ data, ports: [port2], source: url === undefined ? null : { url }, waitUntil: (p) => waited.push(p) });
    return { reply, waited };
  }

  it('routes a request from one of our pages and answers on the port, keeping the worker alive until then', async () => {
    const { reply, waited } = post(req('ping', { echo: 'hi' }), `${ORIGIN}/options.html`);
    expect(await reply).toEqual({ ok: true, data: { echo: 'hi' } });
    expect(waited).toHaveLength(1);
    await waited[0];
  });

  it('checks an import like any other request: a broken file gets its problems, nothing is written', async () => {
    const { reply } = post(req('import.apply', { text: '{"format":"nope"' }), `${ORIGIN}/options.html`);
    expect(await reply).toMatchObject({ ok: true, data: { ok: false, counts: null } });
    expect(((await reply) as { data: { errors: string[] } }).data.errors.length).toBeGreaterThan(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('reads a posted backup file in the worker and imports it; a file too large is refused unread', async () => {
    const text = serializeBackup({ ...sampleStore().data(), settings: [] }, { exportedAt: new Date(0) });
    const preview = await post(req('import.preview', { file: new File([text], 'backup.json') }), `${ORIGIN}/options.html`).reply;
    expect(preview).toMatchObject({ ok: true, data: { ok: true, errors: [] } });
    const counts = (preview as { data: { counts: Record<string, { added: number }> } }).data.counts;
    expect(counts.memberships!.added).toBeGreaterThan(0);
    const applied = await post(req('import.apply', { file: new Blob([text]) }), `${ORIGIN}/options.html`).reply;
    expect(applied).toEqual({ ok: true, data: expect.objectContaining({ ok: true, counts }) });
    expect(await db.outbox.count()).toBeGreaterThan(0);

    const huge = new Blob([new Uint8Array(61 * 1024 * 1024)]);
    const text0 = vi.spyOn(huge, 'text');
    const refused = await post(req('import.preview', { file: huge }), `${ORIGIN}/options.html`).reply;
    expect(refused).toMatchObject({ ok: true, data: { ok: false, errors: ['the file is too large (61 MB); the limit is 60 MB'] } });
    expect(text0).not.toHaveBeenCalled();
  });

  it('refuses a client that is not one of our pages, and a malformed request', async () => {
    expect(await post(req('ping', {}), 'https://acme.lightning.force.com/lightning/page/home').reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await post(req('ping', {}), undefined).reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await post({ channel: 'committee-lens', type: 'ping' }, `${ORIGIN}/popup.html`).reply).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('answers with an internal error when the answer cannot be posted', async () => {
    const uncloneable = answerOnPort(async () => ({ ok: true, data: () => 'a function' }), EXT);
    const { port1, port2 } = new MessageChannel();
    const reply = new Promise((resolve) => (port1.onmessage = (e) => (port1.close(), resolve(e.data))));
    uncloneable({ data: req('ping', {}), ports: [port2], source: { url: `${ORIGIN}/options.html` } });
    expect(await reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('ignores a message without a reply port', () => {
    const waitUntil = vi.fn();
    answer({ data: req('ping', {}), ports: [], source: { url: `${ORIGIN}/options.html` }, waitUntil } satisfies PortRequestEvent);
    expect(waitUntil).not.toHaveBeenCalled();
  });
});

describe('a page sending a backup file', () => {
  afterEach(() => vi.unstubAllGlobals());

  /** An extension page whose worker answers what it is posted, recording the requests. */
  function ownPage(origin = ORIGIN) {
    const posted: unknown[] = [];
    const worker = {
      postMessage(message: unknown, [port]: MessagePort[]) {
        posted.push(message);
        port!.postMessage({ ok: true, data: { ok: true, errors: [], counts: null, samples: [], via: 'port' } });
      },
    };
    vi.stubGlobal('location', new URL(`${origin}/options.html`));
    vi.stubGlobal('navigator', { serviceWorker: { getRegistration: async () => ({ active: worker }) } });
    const sent = vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValue({ ok: true, data: { echo: 'runtime' } } as never);
    return { posted, sent };
  }

  it('posts an import to the worker itself from one of our pages', async () => {
    const { posted, sent } = ownPage();
    expect(await call('import.apply', { text: '{}' })).toMatchObject({ via: 'port' });
    expect(await call('import.preview', { text: '{}' })).toMatchObject({ via: 'port' });
    expect(posted).toEqual([req('import.apply', { text: '{}' }), req('import.preview', { text: '{}' })]);
    expect(sent).not.toHaveBeenCalled();
  });

  it('hands the worker the file itself, and its text where there is no worker to post to', async () => {
    const file = new File(['{"format":"committee-lens-backup"}'], 'backup.json');
    ownPage();
    expect(await backupPayload(file)).toEqual({ file });
    vi.stubGlobal('navigator', { serviceWorker: { getRegistration: async () => undefined } });
    expect(await backupPayload(file)).toEqual({ text: '{"format":"committee-lens-backup"}' });
  });

  it('sends every other request by runtime messaging', async () => {
    const { posted, sent } = ownPage();
    expect(await call('ping', {})).toEqual({ echo: 'runtime' });
    expect(posted).toEqual([]);
    expect(sent).toHaveBeenCalledOnce();
  });

  it('uses runtime messaging where there is no worker to post to (Firefox) or the page is not ours', async () => {
    const { posted, sent } = ownPage('https://acme.lightning.force.com');
    await call('import.apply', { text: '{}' });
    vi.stubGlobal('location', new URL(`${ORIGIN}/options.html`));
    vi.stubGlobal('navigator', { serviceWorker: { getRegistration: async () => undefined } });
    await call('import.apply', { text: '{}' });
    expect(posted).toEqual([]);
    expect(sent).toHaveBeenCalledTimes(2);
  });
});
