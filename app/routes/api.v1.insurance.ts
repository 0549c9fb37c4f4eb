import type { LoaderFunctionArgs } from '@remix-run/node';
import { jsonWithEtag, requireAppToken } from '../api/guard.server.ts';
import { allowMethods } from '../api/request.server.ts';
import { listQualifications } from '../insurance/insurance.service.server.ts';
import { inLanguage } from '../api/problem.server.ts';

export async function loader({ request, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  const access = await requireAppToken(request, context);
  const rows = await listQualifications(context.db, access.residentId);
  // Insurers' names exist in Japanese only.
  const response = await jsonWithEtag(request, {
    qualifications: rows.map((q) => ({
      insurer_number: q.insurerNumber,
      insurer_name: q.insurerName,
      symbol: q.symbol,
      number: q.number,
      branch: q.branch,
      qualified_from: q.qualifiedFrom,
      qualified_until: q.qualifiedUntil,
      copayment_percent: q.copaymentPercent,
      state: q.state,
    })),
  });
  return inLanguage(response, 'ja');
}

export function action({ request }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
