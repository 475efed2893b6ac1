import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { translator, type Translate } from '../i18n';
import type { PanelActions, PanelState, PanelStore } from './store';

export const StoreContext = createContext<PanelStore | null>(null);

export function usePanel<T>(select: (s: PanelState & PanelActions) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('usePanel outside the panel');
  return useStore(store, select);
}

export function useT(): Translate {
  const lang = usePanel((s) => s.lang);
  return translator(lang);
}
