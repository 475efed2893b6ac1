import { defineConfig } from 'wxt';
import { CRM_MATCHES } from './crm/hosts';

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  publicDir: 'public',
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
