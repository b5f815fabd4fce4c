/**
 * The one place that names the Graph API version and the default hosts.
 *
 * Why v25.0 (instagram-api.md §11): it is the version Meta's Instagram-Login
 * messaging examples use (§5.1), courier uses it on graph.facebook.com, and a
 * real graph.instagram.com answer carried `instagram-api-version: v25.0`. It is
 * supported until 29 Jul 2028. v26.0 is newer (some IG setup pages show it) but
 * "available until TBD" and not yet what the messaging pages document, so we
 * move to it deliberately, in this file, once the messaging examples do.
 */
export const GRAPH_API_VERSION = 'v25.0';

/** Which Meta setup an account uses (instagram-api.md §0). */
export type LoginType = 'instagram' | 'facebook';

/** Default hosts per setup; configuration (sandbox mode, tests) overrides them. */
export const DEFAULT_GRAPH_BASE_URLS: Readonly<Record<LoginType, string>> = {
  instagram: 'https://graph.instagram.com',
  facebook: 'https://graph.facebook.com',
};

/** Default per-call timeout: long enough for a slow Send API answer, short enough to free a sender slot. */
export const DEFAULT_GRAPH_TIMEOUT_MS = 15_000;
