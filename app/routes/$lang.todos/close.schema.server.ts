import { z } from 'zod';

/** A resident closing a to-do (done or dismissed). Server only: zod stays out of the browser. */
export const CloseSchema = z.object({
  intent: z.enum(['done', 'dismiss']),
  todoId: z.string().max(100),
});
