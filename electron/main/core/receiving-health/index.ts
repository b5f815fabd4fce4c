export { DiagnosticsService } from './diagnostics-service';
export { diagnosticsHandlers } from './diagnostics-handlers';
export { ReceivingHealthService, type ReceivingHealthOptions } from './receiving-health-service';
export { WANTED_FIELDS } from './subscription-check';
