/**
 * The local push service in a process of its own (so that the bench's worker does not share
 * its event loop): prints one JSON line with its origin and certificate, then counts pushes
 * (GET /stats) until it is killed.
 */
import { startPushService } from '../../test/support/push-service.ts';

const service = await startPushService();
process.stdout.write(JSON.stringify({ origin: service.origin, ca: service.ca }) + '\n');
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
