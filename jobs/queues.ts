import type { QueueDefinition } from './queue.ts';
import { identityCleanup } from './handlers/identity-cleanup.ts';
import { pushBatch, pushPlan } from './handlers/push.ts';

/**
 * Every queue the workers run. Each feature adds its definition here; worker start-up
 * creates them all (with dead-letter queues) before any handler runs.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const queues: readonly QueueDefinition<any>[] = [identityCleanup, pushPlan, pushBatch];
