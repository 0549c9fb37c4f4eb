/**
 * npm run staff:create-admin -- --name "山田 花子" --email hanako@city.example.jp
 * Prints a single-use invitation link (valid 72 hours) that makes its opener an
 * administrator once they register a passkey. Uses DATABASE_URL, or the embedded database.
 */
import { parseArgs } from 'node:util';
import { openScriptDatabase } from './lib/database.ts';
import { inviteAdministrator } from '../app/identity/staff-invitation.service.server.ts';
import { sealAudit } from '../app/audit/audit.service.server.ts';

const { values } = parseArgs({ options: { name: { type: 'string' }, email: { type: 'string' } } });
if (!values.name || !values.email || !/^[^@\s]+@[^@\s]+$/.test(values.email)) {
  console.error('Usage: npm run staff:create-admin -- --name "Full Name" --email name@example.jp');
  process.exit(64);
}
const { db, env, close } = await openScriptDatabase();
try {
  const invitation = await inviteAdministrator(db, {
    displayName: values.name,
    email: values.email,
  });
  // Chained now: the app may not be running to seal it.
  await sealAudit(db);
  console.log(
    `Invitation for ${values.name} <${values.email}> (administrator), valid until ${invitation.expiresAt.toISOString()}:`,
  );
  console.log(`${env.publicOrigin}/ja/admin/accept?token=${invitation.token}`);
} finally {
  await close();
}
