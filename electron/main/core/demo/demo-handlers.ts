import { ApiError } from '../api/api-error';
import type { Handlers } from '../api/dispatcher';
import type { DemoMode } from './demo-mode';

type DemoHandlers = Pick<Handlers, 'demo.overview' | 'demo.simulate' | 'demo.customerReceived'>;

/** The demo part of the contract; outside demo mode each method says plainly why it cannot work. */
export function demoHandlers(demo: DemoMode | undefined): DemoHandlers {
  const need = (): DemoMode => {
    if (!demo)
      throw new ApiError(
        'UNAVAILABLE',
        'Demo mode is off: start Switchboard with --demo to simulate customers (npm start -- --demo).',
      );
    return demo;
  };
  return {
    'demo.overview': () => need().overview(),
    'demo.simulate': (input) => need().simulate(input),
    'demo.customerReceived': (input) => need().customerReceived(input),
  };
}
