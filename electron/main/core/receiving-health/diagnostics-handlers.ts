import type { Handlers } from '../api/dispatcher';
import type { DiagnosticsService } from './diagnostics-service';
import type { ReceivingHealthService } from './receiving-health-service';

type DiagnosticsHandlers = Pick<
  Handlers,
  | 'diagnostics.health'
  | 'diagnostics.checkSubscriptions'
  | 'diagnostics.recoverGaps'
  | 'diagnostics.listDeliveries'
  | 'diagnostics.listNotUnderstood'
  | 'diagnostics.replayDelivery'
  | 'diagnostics.listSecurityLog'
>;

/** The diagnostics part of the contract. */
export function diagnosticsHandlers(deps: {
  health: ReceivingHealthService;
  diagnostics: DiagnosticsService;
}): DiagnosticsHandlers {
  const { health, diagnostics } = deps;
  return {
    'diagnostics.health': async () => ({ accounts: await health.health() }),
    'diagnostics.checkSubscriptions': async (input) => ({
      accounts: await health.checkSubscriptions(input.accountId),
    }),
    'diagnostics.recoverGaps': (input) => health.recover(input.accountId),
    'diagnostics.listDeliveries': async (input) => ({ deliveries: await diagnostics.listDeliveries(input) }),
    'diagnostics.listNotUnderstood': async (input) => ({
      deliveries: await diagnostics.listNotUnderstood(input),
    }),
    'diagnostics.replayDelivery': (input) => diagnostics.replay(input.id),
    'diagnostics.listSecurityLog': async (input) => ({ entries: await diagnostics.listSecurityLog(input) }),
  };
}
