import { z } from 'zod';
import { defineQueue } from '../../jobs/enqueue.ts';

/**
 * Deliver one outbox row (decision 0049). The job is sent in the transaction that wrote the
 * row. A refused or failed send is retried with backoff (pg-boss) until the row's attempts run
 * out; a worker that dies mid-send has its job expire and retried, and the retry claims the row
 * once its lease is over.
 */
export const mailSendQueue = defineQueue({
  name: 'mail.send',
  payload: z.object({ mailId: z.uuid() }),
  options: {
    retryLimit: 8,
    retryDelay: 30,
    retryBackoff: true,
    retryDelayMax: 3600,
    expireInSeconds: 5 * 60,
  },
  batchSize: 1,
  localConcurrency: 4,
});

/**
 * Every ten minutes: rows still 'queued' or 'sending' with an expired lease whose job is gone
 * (its retries spent while another worker held the row, or removed by hand) get a new job.
 */
export const mailSweepQueue = defineQueue({
  name: 'mail.sweep',
  payload: z.object({}),
  options: { retryLimit: 2, retryDelay: 60, expireInSeconds: 5 * 60 },
  schedule: '*/10 * * * *',
  batchSize: 1,
  localConcurrency: 1,
});
