/** Every Salesforce selector and URL pattern the adapter uses (Lightning, console, Classic). */

/** `{org}.[partition.]lightning.force.com` / `my.salesforce.com`; org may carry `--sandbox`. */
export const HOST = /^([a-z0-9][a-z0-9-]*?(?:--[a-z0-9]+)?)\.(?:(?:sandbox|develop|scratch|trailblaze|demo|patch|free)\.)?(?:lightning\.force\.com|my\.salesforce\.com)$/;
/** Legacy instance hosts: na1.salesforce.com, eu12.salesforce.com, cs42.salesforce.com. */
export const LEGACY_HOST = /^([a-z]{2,4}\d{1,3}[a-z]?)\.salesforce\.com$/;
/** Hosts under the CRM patterns that are never the app. */
export const NOT_APP_HOSTS = ['login.salesforce.com', 'test.salesforce.com', 'help.salesforce.com', 'trailhead.salesforce.com', 'developer.salesforce.com', 'www.salesforce.com'];

export const PATHS = {
  record: /^\/lightning\/r\/(?:([A-Za-z][A-Za-z0-9_]*)\/)?([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)\/(?:view|edit|related\/[^/]+\/view)\/?$/,
  legacyApp: /^#\/sObject\/([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)(?:\/view)?/,
  classic: /^\/([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)(?:\/e)?\/?$/,
};

export const OBJECT_BY_NAME: Record<string, 'contact' | 'lead' | 'account' | 'opportunity'> = {
  Contact: 'contact',
  Lead: 'lead',
  Account: 'account',
  Opportunity: 'opportunity',
};
export const OBJECT_BY_PREFIX: Record<string, 'contact' | 'lead' | 'account' | 'opportunity'> = {
  '003': 'contact',
  '00Q': 'lead',
  '001': 'account',
  '006': 'opportunity',
};
export const FIELD_OBJECT = { contact: 'Contact', lead: 'Lead', account: 'Account', opportunity: 'Opportunity' } as const;

export const LIGHTNING = {
  marker: ['#auraLoadingBox', 'one-app-nav-bar', 'div.oneContent'],
  /** The active record view; Lightning keeps hidden copies of earlier ones. Console first. */
  activeView: [
    'section.oneConsoleTab div.windowViewMode-maximized.active',
    'div.windowViewMode-normal.active',
    'div.windowViewMode-maximized.active',
    'div.oneContent.active',
  ],
  header: ['records-highlights2', 'force-highlights2', 'div.highlights.slds-page-header'],
  name: [
    'slot[name="primaryField"] lightning-formatted-name',
    'slot[name="primaryField"] lightning-formatted-text',
    '[slot="primaryField"] lightning-formatted-name',
    '[slot="primaryField"] lightning-formatted-text',
    '[slot="primaryField"]',
    'h1 .uiOutputText',
    'h1',
  ],
  field: (object: string, field: string) => [
    `[data-target-selection-name="sfdc:RecordField.${object}.${field}"]`,
    // Dynamic Forms (record_flexipage-record-field); matched by attribute, as some DOMs reject the tag name.
    `[data-field-id="Record${field}Field"]`,
  ],
  /** English labels, only where no locale-independent attribute exists. */
  labelled: (label: string) => [`records-record-layout-item[field-label="${label}"]`, `force-record-layout-item[field-label="${label}"]`],
  highlightItem: ['records-highlights-details-item', 'force-highlights-details-item'],
  highlightLabel: 'p.slds-text-title',
  lookup: (prefix: string) => `a[data-refid="recordId"][data-recordid^="${prefix}"], a[data-recordid^="${prefix}"]`,
  mailto: 'a[href^="mailto:"]',
  /** Links to people anywhere in the active view (related lists, Contact Roles, lookups). */
  personLinks: 'a[data-recordid^="003"], a[data-recordid^="00Q"], a[href*="/lightning/r/003"], a[href*="/lightning/r/00Q"], a[href*="/lightning/r/Contact/"], a[href*="/lightning/r/Lead/"]',
};

export const CLASSIC = {
  marker: 'body.sfdcBody',
  name: ['h2.pageDescription', '.bPageTitle h2'],
  /** Classic detail field cells (`{field id}_ileinner`). */
  title: ['#con5_ileinner'],
  email: ['#con15_ileinner a[href^="mailto:"]', '#con15_ileinner'],
  accountLink: ['#con4_ileinner a', '#opp4_ileinner a'],
  personLinks: 'a[href^="/003"], a[href^="/00Q"]',
};

export const TITLE_SUFFIX = /\s*\|\s*Salesforce\s*$/;
