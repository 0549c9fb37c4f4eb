import { isLocale } from '../../i18n/locales.ts';
import { importOption } from '../../targets/import-option.server.ts';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { z } from 'zod';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { readReservationId } from '../../targets/reservation-id.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { LetterBatchFilterSchema } from '../../targets/target-letters.schema.ts';
import {
  findTargetForReissue,
  letterChoices,
  previewLetterBatch,
  printLetterBatch,
  reissueLetter,
} from '../../targets/target-letters.service.server.ts';
import { formatReservationId } from '../../reservations/booking.ts';
import { ChooseForm } from './choose-form.tsx';
import { BatchPreview } from './batch-preview.tsx';
import { Reissue } from './reissue.tsx';

export const handle: RouteHandle = {
  title: 'adminTargetLetters:title',
  i18n: ['adminTargetLetters'],
};

/** The filter fields as the forms send them (a GET choice, or the print form's copy). */
function filterFrom(source: URLSearchParams | FormData) {
  const get = (name: string) => {
    const v = source.get(name);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  return LetterBatchFilterSchema.safeParse({
    by: get('by'),
    importId: get('importId'),
    from: get('from'),
    to: get('to'),
    state: get('state'),
    targetId: get('targetId'),
  });
}

/** The error keys of a refused choice, by field. */
function choiceErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] === 'by' || issue.path.length === 0 ? 'by' : String(issue.path[0]);
    const key = issue.message === 'order' ? 'order' : field === 'by' ? 'by' : 'invalid';
    errors[field] ??= key;
  }
  return errors;
}

const notFound = () => new Response('Not Found', { status: 404 });

/**
 * Reservation letters (decision 0045): choose a batch of the clerk's city's targets, see how
 * many letters print, print it (the print page opens), and reissue a lost letter's password.
 * There is no city to choose (an old address's `city` is ignored); an import or a target of
 * another city is not found.
 */
export async function loader({ request, params: route, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:letters');
  const locale = isLocale(route.lang) ? route.lang : 'ja';
  const clerk = clerkOf(staff, context.env);
  const params = new URL(request.url).searchParams;
  const choices = await letterChoices(context.db, clerk.municipalityCode);
  const chosen = params.has('by') ? filterFrom(params) : null;
  const preview = chosen?.success
    ? await previewLetterBatch(context.db, clerk.municipalityCode, chosen.data)
    : null;
  if (chosen?.success && !preview) throw notFound();

  const typedId = params.get('reservationId');
  let reissue: {
    typed: string;
    error: 'format' | 'notFound' | null;
    target: {
      id: string;
      name: string;
      address: string;
      state: string;
      reservationId: string;
    } | null;
  } | null = null;
  if (typedId !== null) {
    const reservationId = readReservationId(typedId);
    const target = reservationId
      ? await findTargetForReissue(context.db, clerk.actor, clerk.municipalityCode, reservationId)
      : null;
    reissue = {
      typed: typedId.slice(0, 20),
      error: !reservationId ? 'format' : !target ? 'notFound' : null,
      target:
        target && reservationId
          ? {
              id: target.id,
              name: target.name,
              address: target.address,
              state: target.state,
              reservationId: formatReservationId(reservationId),
            }
          : null,
    };
  }
  return {
    hasTargets: choices.hasTargets,
    imports: choices.imports.map((i) =>
      importOption('adminTargetLetters:choose.importOption', locale, i),
    ),
    choice: chosen ? Object.fromEntries(params) : null,
    errors: chosen && !chosen.success ? choiceErrors(chosen.error) : null,
    preview,
    reissue,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:letters');
  const clerk = clerkOf(staff, context.env);
  const form = await request.formData();

  if (form.get('intent') === 'reissue') {
    const targetId = z.uuid().safeParse(form.get('targetId'));
    if (!targetId.success) return data({ error: 'invalid' as const }, 400);
    const reissued = await reissueLetter(
      context.db,
      context.secrets,
      clerk.actor,
      clerk.municipalityCode,
      targetId.data,
    );
    if (reissued.outcome === 'not_found') throw notFound();
    if (reissued.outcome === 'no_credentials')
      return data({ error: 'noCredentials' as const }, 400);
    const { credentials } = reissued;
    return {
      reissued: {
        targetId: credentials.targetId,
        reservationId: formatReservationId(credentials.reservationId),
        version: credentials.version,
      },
    };
  }

  const filter = filterFrom(form);
  if (!filter.success) return data({ error: 'invalid' as const }, 400);
  const printed = await printLetterBatch(
    context.db,
    context.secrets,
    clerk.actor,
    clerk.municipalityCode,
    filter.data,
  );
  if (printed.outcome === 'not_found') throw notFound();
  if (printed.outcome === 'printed')
    return redirect(`/${params.lang}/admin/targets/letters/${printed.batchId}/print`);
  return data(
    printed.outcome === 'too_many'
      ? { error: 'tooMany' as const, count: printed.count, max: printed.max }
      : { error: 'empty' as const },
    400,
  );
}

export default function TargetLetters() {
  const { t } = useTranslation('adminTargetLetters');
  const loaded = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const refusal = answer && 'error' in answer && answer.error !== 'noCredentials' ? answer : null;
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <p>{t('lead')}</p>
      {!loaded.hasTargets ? (
        <p className="notice notice--info">{t('noTargets')}</p>
      ) : (
        <>
          <ChooseForm imports={loaded.imports} choice={loaded.choice} errors={loaded.errors} />
          {loaded.preview && loaded.choice ? (
            <BatchPreview choice={loaded.choice} preview={loaded.preview} answer={refusal} />
          ) : null}
          <Reissue
            found={loaded.reissue}
            reissued={answer && 'reissued' in answer ? answer.reissued : null}
            failed={Boolean(answer && 'error' in answer && answer.error === 'noCredentials')}
          />
        </>
      )}
    </div>
  );
}
