/**
 * The Instagram sandbox: a strict local Graph API emulator, a webhook
 * simulator that behaves like Meta, and a deterministic scenario runner.
 * See docs/sandbox.md.
 */
export { Sandbox, startSandbox, type SandboxOptions } from './sandbox';
export { OffsetClock, ManualClock, systemClock, type Clock } from './clock';
export { seededRandom, type Random } from './random';
export { IdFactory } from './ids';
export type {
  CreateAccountInput,
  CreateAppInput,
  CreateCustomerInput,
  CreatedAccount,
  CustomerEventOptions,
  CustomerEventResult,
} from './graph-emulator/core';
export { GraphError, graphErrors, type GraphErrorBody, type ErrorFlavor } from './graph-emulator/errors';
export type { FaultSpec } from './graph-emulator/faults';
export type { SendCounters } from './graph-emulator/rate-meter';
export type { SandboxLogger } from './graph-emulator/server';
export { ADMIN_PREFIX } from './graph-emulator/server';
export {
  SUBSCRIBABLE_FIELDS,
  type LoginType,
  type RateLimits,
  type SandboxAccount,
  type SandboxApp,
  type SandboxCustomer,
  type SentRecord,
  type TokenRecord,
} from './graph-emulator/state';
export {
  buildCustomerEvent,
  buildEcho,
  buildEnvelope,
  CUSTOMER_EVENT_TYPES,
  type CustomerEvent,
  type WebhookItem,
} from './webhook-simulator/events';
export { serializeLikeMeta } from './webhook-simulator/serialize';
export { signWebhookBody, type SignatureHeaders } from './webhook-simulator/sign';
export {
  DEFAULT_DELIVERY_CONFIG,
  type DeliveryAttempt,
  type DeliveryConfig,
} from './webhook-simulator/delivery';
export { verifyCallback, type VerificationResult } from './webhook-simulator/verify';
export {
  buildScenarioPayloads,
  generateScenario,
  installScenario,
  runScenario,
  SCENARIO_EVENT_KINDS,
  type ScenarioEvent,
  type ScenarioPayload,
  type ScenarioPlan,
  type ScenarioSpec,
} from './scenario/runner';
