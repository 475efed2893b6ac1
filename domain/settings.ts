/** The user's settings (local to this browser). Kept free of schema code so views can import it cheaply. */
export interface Settings {
  language: 'auto' | 'en' | 'zh';
  /** Shown as the author of this user's notes. */
  displayName: string;
  panelCollapsed: boolean;
}
export const DEFAULT_SETTINGS: Settings = { language: 'auto', displayName: '', panelCollapsed: false };
