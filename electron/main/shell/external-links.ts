/**
 * Hosts that the app may open in the OS browser (Meta's dashboards and help, ngrok's dashboard).
 * Everything else a page tries to open is refused.
 */
export const externalHostAllowList: readonly string[] = [
  'developers.facebook.com',
  'business.facebook.com',
  'www.facebook.com',
  'help.instagram.com',
  'www.instagram.com',
  'dashboard.ngrok.com',
  'ngrok.com',
];

/** Only https URLs to an allow-listed host, with no credentials in them. */
export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    externalHostAllowList.includes(url.hostname)
  );
}
