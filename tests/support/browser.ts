/** Launch Debian's Chromium with the built extension (playwright-core), as tests, the bench and the demo do. */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CommitteeView, ContactView, PanelView } from '../../domain/protocol';

export const EXTENSION_DIR = resolve(import.meta.dirname, '../../.output/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Launched {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  userDataDir: string;
  extensionUrl(path: string): string;
}

export function newProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'committee-lens-profile-'));
}

export async function launchExtension(opts: { resolverRule?: string; userDataDir?: string; headless?: boolean; extraArgs?: string[]; withExtension?: boolean } = {}): Promise<Launched> {
  const userDataDir = opts.userDataDir ?? newProfileDir();
  const withExtension = opts.withExtension ?? true;
  const args = [
    '--ignore-certificate-errors',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(opts.resolverRule ? [`--host-resolver-rules=${opts.resolverRule}`] : []),
    ...(withExtension ? [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`] : []),
    ...(opts.extraArgs ?? []),
  ];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    ignoreHTTPSErrors: true,
    args,
    locale: 'en-US',
  });
  if (!withExtension) return { context, worker: null as unknown as Worker, extensionId: '', userDataDir, extensionUrl: () => '' };
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return { context, worker, extensionId, userDataDir, extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}` };
}

/** The `chrome` global of an extension page, as far as tests use it. */
export interface ExtensionGlobal {
  chrome: {
    runtime: {
      sendMessage(message: unknown): Promise<never>;
      onMessage: { addListener(listener: (message: unknown) => void): void };
    };
  };
}

/** Send a protocol request from an extension page, as the popup or options page would. */
export async function callFromPage<T = unknown>(page: Page, type: string, payload: unknown): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string } }> {
  return page.evaluate(
    ([t, p]) => (globalThis as unknown as ExtensionGlobal).chrome.runtime.sendMessage({ channel: 'committee-lens', type: t, payload: p }),
    [type, payload] as const,
  );
}

/** A record's stored view as the panel loads it (panel.load): a committee's (account or deal), or a person's. */
async function panelLoad(page: Page, key: string): Promise<PanelView> {
  const res = await callFromPage<PanelView>(page, 'panel.load', { key });
  if (!res.ok || !res.data) throw new Error(`panel.load ${key} failed: ${JSON.stringify(res.error)}`);
  return res.data;
}
export async function committeeFromPage(page: Page, committeeKey: string): Promise<CommitteeView> {
  const view = await panelLoad(page, committeeKey);
  if (view.kind !== 'committee') throw new Error(`${committeeKey} is not a committee`);
  return view.committee;
}
export async function personFromPage(page: Page, contactKey: string): Promise<ContactView> {
  const view = await panelLoad(page, contactKey);
  if (view.kind !== 'person') throw new Error(`${contactKey} is not a person`);
  return view.person;
}

/** Stop the extension's service worker through CDP (as Chrome does when it is idle); resolves once it has stopped. */
export async function stopServiceWorker(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const status = new Map<string, string>();
  cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: { versionId: string; runningStatus: string; scriptURL: string }[] }) => {
    for (const v of e.versions) if (v.scriptURL.startsWith('chrome-extension://')) status.set(v.versionId, v.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  await new Promise((r) => setTimeout(r, 200));
  const running = [...status].filter(([, s]) => s !== 'stopped').map(([id]) => id);
  for (const versionId of running) await cdp.send('ServiceWorker.stopWorker', { versionId });
  const deadline = Date.now() + 10_000;
  while (running.some((id) => status.get(id) !== 'stopped')) {
    if (Date.now() > deadline) throw new Error('the service worker did not stop');
    await new Promise((r) => setTimeout(r, 50));
  }
  await cdp.detach();
  return running.length;
}

/** Click an export button on an extension page (popup, options); the downloaded file's name and text. */
export async function downloadFrom(page: Page, button: string): Promise<{ filename: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: button }).click()]);
  return { filename: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
}
