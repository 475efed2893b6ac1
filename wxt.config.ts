import { mergeConfig } from 'vite';
import { defineConfig } from 'wxt';
import { CRM_MATCHES } from './crm/hosts';

const PREACT_FOR_REACT = {
  react: 'preact/compat',
  'react-dom': 'preact/compat',
  'react-dom/client': 'preact/compat/client',
  'react/jsx-runtime': 'preact/compat/jsx-runtime',
  'react/jsx-dev-runtime': 'preact/compat/jsx-dev-runtime',
};

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  publicDir: 'public',
  hooks: {
    // The content script runs on every CRM page load, so it renders the panel with Preact's React-compatible
    // API: its bundle is a fraction of React DOM's to parse and compile. Extension pages keep React.
    'vite:build:extendConfig'(entrypoints, viteConfig) {
      if (!entrypoints.some((e) => e.type === 'content-script')) return;
      const alias = Object.entries(PREACT_FOR_REACT).map(([from, to]) => ({ find: new RegExp(`^${from}$`), replacement: to }));
      Object.assign(viteConfig, mergeConfig(viteConfig, { resolve: { alias } }));
    },
  },
  manifest: ({ browser }) => ({
    name: 'Committee Lens',
    description: 'See and tag the buying committee of every deal, inside Salesforce and HubSpot.',
    default_locale: 'en',
    permissions: ['unlimitedStorage', 'alarms'],
    host_permissions: [...CRM_MATCHES],
    optional_host_permissions: browser === 'firefox' ? undefined : ['https://*/*', 'http://*/*'],
    commands: {
      'toggle-panel': {
        suggested_key: { default: 'Alt+Shift+K' },
        description: '__MSG_toggleCommand__',
      },
    },
    browser_specific_settings: browser === 'firefox' ? { gecko: { id: 'committee-lens@example.com' } } : undefined,
  }),
});
