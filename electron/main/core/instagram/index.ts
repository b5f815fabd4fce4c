/**
 * The Graph API client: the `InstagramClient` port, its HTTP implementation,
 * the error model and the API version. See docs in each module.
 */
export type * from './instagram-client';
export {
  GraphInstagramClient,
  createGraphInstagramClientFactory,
  USER_PROFILE_FIELDS,
  type GraphTransportOptions,
} from './graph-instagram-client';
export {
  GraphApiError,
  classifyGraphError,
  classifyLocalFailure,
  isGraphApiError,
  EXPLANATIONS,
  type GraphErrorKind,
  type GraphErrorClassification,
  type GraphCallContext,
} from './graph-errors';
export { buildSendBody, type SendBody } from './graph-send-body';
export { createScrubber, redactUrl, REDACTED, type Scrub } from './graph-redact';
export {
  GRAPH_API_VERSION,
  DEFAULT_GRAPH_BASE_URLS,
  DEFAULT_GRAPH_TIMEOUT_MS,
  type LoginType,
} from './graph-version';
