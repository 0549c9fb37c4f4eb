import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import {
  awaitIssuance,
  collectCredentials,
  requestCredential,
} from '../credentials/issuance.service.server.ts';
import { nonceKey } from '../credentials/c-nonce.server.ts';
import { credentialIssuerId } from '../credentials/issuer-metadata.server.ts';
import { issuanceAnswer, vciBody, vciCaller, vciEndpoint } from '../credentials/vci-http.server.ts';
import { CredentialRequest } from '../credentials/vci.schema.ts';

/**
 * OpenID4VCI 1.0 §8: the app's access token, a configuration id and key proofs. The request row
 * is the issuance worker's queue (decision 0060); the answer holds the credentials when it
 * finishes within MADOGUCHI_CREDENTIAL_WAIT_MS (2 s by default) — handed over by the worker
 * when it runs in this process, collected here otherwise —, else a transaction_id for the
 * deferred endpoint (202).
 */
export function loader({ request }: LoaderFunctionArgs) {
  return vciEndpoint(request, ['POST'], async () => new Response(null));
}

export function action({ request, context }: ActionFunctionArgs) {
  return vciEndpoint(request, ['POST'], async () => {
    const caller = await vciCaller(request, context);
    const body = await vciBody(request, CredentialRequest, 'invalid_credential_request');
    const accepted = await requestCredential(
      {
        db: context.db,
        credentialIssuer: credentialIssuerId(context.env),
        nonceKey: nonceKey(context.secrets),
      },
      caller,
      body,
    );
    const waited = await awaitIssuance(
      context.db,
      accepted,
      context.env.MADOGUCHI_CREDENTIAL_WAIT_MS,
      { clientId: caller.clientId, ip: caller.ip },
    );
    return issuanceAnswer(
      waited === 'pending'
        ? { pending: true }
        : waited === 'finished'
          ? await collectCredentials(context.db, caller, accepted)
          : // Collected by the worker's results statement and handed over (decision 0060).
            {
              credentials: waited.credentials.map((c) => ({ credential: c.toString('base64url') })),
              notification_id: accepted.notificationId,
            },
      accepted.transactionId,
    );
  });
}
