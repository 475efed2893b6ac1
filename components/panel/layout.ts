/** Panel geometry and the in-page shortcut (the same keys as the manifest's toggle command). */
export const PANEL_WIDTH = 340;

export function isToggleShortcut(e: Pick<KeyboardEvent, 'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'code'>): boolean {
  return e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyK';
}
