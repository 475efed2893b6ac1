// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { Panel } from '../../components/panel/Panel';
import { StoreContext } from '../../components/panel/context';
import { createPanelStore, type Call } from '../../components/panel/store';
import type { PageContext } from '../../crm/types';
import { sfKey } from './helpers/keys';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
const page: PageContext = { crm: 'salesforce', org: 'acme', object: 'contact', key: sfKey('contact', 1), name: 'Ann', contacts: [], anchors: [] };
let unmount = () => undefined as void;
afterEach(() => unmount());

describe('panel rendering', () => {
  it('shows the error and an empty editor when a person page cannot be loaded, without re-rendering forever', async () => {
    const call = (async (type: string) => {
      if (type === 'panel.load') throw new Error('The background worker did not answer.');
      return { changed: 0 };
    }) as Call;
    const store = createPanelStore(call, 'en');
    await store.getState().setPage(page);
    expect(store.getState()).toMatchObject({ loading: false, person: null, error: 'The background worker did not answer.' });
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    unmount = () => act(() => root.unmount());
    // A selector that returned a fresh [] for a missing person made every render a new snapshot: React
    // gave up ("Maximum update depth exceeded"), Preact in the content script re-rendered forever.
    await act(async () => root.render(<StoreContext.Provider value={store}><Panel /></StoreContext.Provider>));
    expect(host.querySelector('[role="alert"]')?.textContent).toContain('The background worker did not answer.');
    expect(host.querySelector('textarea')).not.toBeNull();
    expect([...host.querySelectorAll('input[type="checkbox"]')].every((c) => (c as HTMLInputElement).closest('fieldset')?.disabled)).toBe(true);
  });
});
