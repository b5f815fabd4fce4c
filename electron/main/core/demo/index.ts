/** Demo mode (`--demo`): the core against the in-process Instagram sandbox, with seeded demo clients. */
export { assertDemoConfig, DemoMode, type DemoHost, type DemoOptions } from './demo-mode';
export { demoHandlers } from './demo-handlers';
export { DEFAULT_SIMULATION_TIMING, type SimulationTiming } from './simulation';
export { DEMO_CLIENTS } from './demo-data';
