export { SERVICES, availableServices, serviceEntry, type ServiceName } from './services.js';
export { serviceStopBoundMs, startService, waitUntilReady, type RunningService, type StartServiceOptions } from './process.js';
export { startSystem, type RunningSystem, type SystemOptions } from './system.js';
