/**
 * The CRM hosts the extension runs on, as WebExtension match patterns. The manifest's host
 * permissions, the content script's matches and the background's sender check all read this list.
 */
export const CRM_MATCHES = [
  'https://*.lightning.force.com/*',
  'https://*.my.salesforce.com/*',
  // Legacy instance hosts (na1.salesforce.com) and partition hosts of Classic.
  'https://*.salesforce.com/*',
  'https://app.hubspot.com/*',
  // Regional hublets: app-eu1, app-na2, app-ap1, …
  'https://*.hubspot.com/*',
] as const;

/** Hosts under those patterns that are not the CRM application. */
export const CRM_EXCLUDE_MATCHES = [
  'https://help.salesforce.com/*',
  'https://trailhead.salesforce.com/*',
  'https://developer.salesforce.com/*',
  'https://www.salesforce.com/*',
  'https://community.hubspot.com/*',
  'https://knowledge.hubspot.com/*',
  'https://developers.hubspot.com/*',
  'https://www.hubspot.com/*',
] as const;

function patternToRegExp(pattern: string): RegExp {
  const m = /^(https?|\*):\/\/(\*|\*\.[^/*]+|[^/*]+)(\/.*)$/.exec(pattern);
  if (!m) throw new Error(`bad match pattern ${pattern}`);
  const [, scheme, host, path] = m as unknown as [string, string, string, string];
  const esc = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const schemeRe = scheme === '*' ? 'https?' : scheme;
  const hostRe = host === '*' ? '[^/]+' : host.startsWith('*.') ? `(?:[^/]+\\.)?${esc(host.slice(2))}` : esc(host);
  const pathRe = path.split('*').map(esc).join('.*');
  return new RegExp(`^${schemeRe}://${hostRe}(?::\\d+)?${pathRe}$`);
}
/** Compiled on first use: the content script imports the lists for its manifest entry only, on every CRM page load. */
let compiled: { include: RegExp[]; exclude: RegExp[] } | undefined;

/** Whether a URL is on a CRM host that the manifest matches (and does not exclude). */
export function isCrmUrl(url: string | undefined): boolean {
  if (!url) return false;
  const { include, exclude } = (compiled ??= { include: CRM_MATCHES.map(patternToRegExp), exclude: CRM_EXCLUDE_MATCHES.map(patternToRegExp) });
  return include.some((r) => r.test(url)) && !exclude.some((r) => r.test(url));
}
