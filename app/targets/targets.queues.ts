import { z } from 'zod';
import { defineQueue } from '../../jobs/enqueue.ts';

/**
 * An uploaded card-pickup list: read it in chunks into staging, with its progress on the import
 * row (decision 0043). A retry after a dead worker starts the staging again from the file,
 * which stays on the row until the import is staged or failed.
 */
export const targetImportQueue = defineQueue({
  name: 'targets.import',
  payload: z.object({ municipalityCode: z.string().regex(/^\d{6}$/), importId: z.string().uuid() }),
  options: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 15 * 60 },
  batchSize: 1,
  localConcurrency: 1,
});
