/** Every HubSpot selector and URL pattern the adapter uses. Attribute names churn: several per part. */

/** app.hubspot.com and the regional hublets app-eu1, app-na2, app-ap1, … */
export const HOST = /^app(?:-[a-z]{2,3}\d{0,2})?\.hubspot\.com$/;

export const PATHS = {
  record: /^\/contacts\/(\d+)\/record\/(\d+-\d+)\/(\d+)(?:\/.*)?$/,
  legacy: /^\/contacts\/(\d+)\/(contact|company|deal)\/(\d+)(?:\/.*)?$/,
  list: /^\/contacts\/(\d+)\/objects\/(\d+-\d+)\/(?:views\/[^/]+\/)?(?:list|board)(?:\/.*)?$/,
};

export const OBJECT_BY_TYPE: Record<string, 'contact' | 'company' | 'deal'> = { '0-1': 'contact', '0-2': 'company', '0-3': 'deal' };
export const OBJECT_BY_LEGACY: Record<string, 'contact' | 'company' | 'deal'> = { contact: 'contact', company: 'company', deal: 'deal' };

export const DOM = {
  preview: ['[data-test-id="IndexPageInlineSidebar"]', '[data-crm-location="CRM_OBJECT_PREVIEW"]'],
  highlight: ['[data-test-id="record-highlight-main-content"]', '[data-card-type="OBJECT_HIGHLIGHT"]', '[data-selenium-component="ProfileHighlightContainer"]'],
  name: ['[data-selenium-test="highlightTitle"]', '[data-test-id="highlightTitle"]', 'h1'],
  subtitle: ['[data-unit-test="highlightSubtitle"]', '[data-test-id="highlightSubtitle"]'],
  email: ['a[href^="mailto:"]', '[data-selenium-test="highlightEmail"]'],
  /** Association cards and links, per object type id. */
  associationCard: (type: string) => [
    `[data-test-id="card-wrapper-ASSOCIATION_V3/${type}"]`,
    `[data-sidebar-card-association-object-type-id="${type}"]`,
  ],
  recordLink: (type: string) => `a[href*="/record/${type}/"]`,
  contactLink: '[data-selenium-test="contact-chicklet-title-link"], [data-test-id^="chiclet-0-1-"] a, a[href*="/record/0-1/"], a[href*="/contact/"]',
  companyLink: 'a[href*="/record/0-2/"], a[href*="/company/"]',
  previewRecordLink: 'a[href*="/record/0-1/"], a[href*="/record/0-2/"], a[href*="/record/0-3/"]',
};

export const TITLE_SUFFIX = /\s*\|\s*HubSpot.*$/;
