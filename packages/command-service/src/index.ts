export { runCommandService, buildCommandService, type BuiltCommandService, type CommandService, type CommandServiceDefinition } from './runtime.js';
export { executeCommand, IDEMPOTENCY_HEADER, type Answer, type CommandStore, type DomainEvent, type ExecuteOptions } from './execute.js';
export { commandContext, CORRELATION_HEADER, type CommandContext } from './command-context.js';
export { commandServiceConfigSchema, eventServiceConfigSchema, type CommandServiceConfig } from './config.js';
export { fromStoredEvent, toDomainEvent, toStoredEvent } from './stored-event.js';
export { caseForCommand, refuseIfClosed, visibleCase } from './case-lookup.js';
export { writeResponses, problemResponses } from './openapi.js';
export { notInFuture, CLOCK_SKEW_MS } from './time-checks.js';
export { REJECTED_MESSAGES_PATH } from './rejected-messages-route.js';
