export { SERVICES, availableServices, serviceEntry, type ServiceName } from './services.js';
export { startService, waitUntilReady, type RunningService, type StartServiceOptions } from './process.js';
export { startSystem, type RunningSystem, type SystemOptions } from './system.js';
