import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import {
  Link,
  useActionData,
  useLoaderData,
  useParams,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { viewTarget } from '../../targets/target-detail.service.server.ts';
import { moveTarget, recordHandover } from '../../targets/target-lifecycle.service.server.ts';
import { canMove } from '../../targets/target.ts';
import {
  formatDateBoth,
  formatDateTime,
  toTokyoDateTimeLocal,
  tokyoDayStart,
} from '../../i18n/dates.ts';
import { isLocale, translator } from '../../i18n/locales.ts';
import { sameOriginPath } from '../../platform/links.ts';
import { aroundValue, VALUE_MARK } from '../../letters/letter.ts';
import { userText } from '../../ui/user-text.ts';
import type { RouteHandle } from '../../ui/title.ts';
import { HandoverSchema, MoveSchema } from './handover.schema.ts';
import { ActionAnswer } from './action-answer.tsx';
import { HandoverForm } from './handover-form.tsx';
import { HandoverRecord } from './handover-record.tsx';
import { HistoryTable } from './history-table.tsx';
import { MovesPanel } from './moves-panel.tsx';
import { TargetRecord } from './target-record.tsx';

export const handle: RouteHandle = { i18n: ['adminTargets'] };

const TargetId = z.uuid();

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const id = TargetId.safeParse(params.targetId);
  const found = id.success
    ? await viewTarget(
        context.db,
        staff.actor,
        clerkOf(staff, context.env).municipalityCode,
        id.data,
      )
    : undefined;
  if (!found) throw new Response('Not Found', { status: 404 });
  const { target, moves, handovers } = found;
  const when = (d: Date) => formatDateTime(d, locale);
  return {
    title: translator(locale)('adminTargets:detail.title', { name: target.name }),
    target: {
      ...target,
      birthDate: formatDateBoth(tokyoDayStart(target.birthDate), locale),
      stateChangedAt: when(target.stateChangedAt),
      credentialsIssuedAt: target.credentialsIssuedAt ? when(target.credentialsIssuedAt) : null,
      createdAt: when(target.createdAt),
      updatedAt: when(target.updatedAt),
    },
    moves: moves.map((m) => ({ ...m, movedAt: when(m.movedAt) })),
    handovers: handovers.map((h) => ({ ...h, issuedAt: when(h.issuedAt) })),
    offered: (['setup_done', 'cancelled', 'reissued'] as const).filter((to) =>
      canMove(target.state, to),
    ),
    canHandOver: canMove(target.state, 'issued'),
    clerk: staff.session.displayName,
    // The hand-over form starts at this moment, as the clock in Japan shows it.
    now: toTokyoDateTimeLocal(new Date()),
    // Where the clerk came from (the day list of bookings), by the one return-path rule.
    back: sameOriginPath(new URL(request.url).searchParams.get('back')),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:manage');
  const id = TargetId.safeParse(params.targetId);
  if (!id.success) throw new Response('Not Found', { status: 404 });
  const city = clerkOf(staff, context.env).municipalityCode;
  const form = await request.formData();

  if (form.get('intent') === 'handover') {
    const submission = parseWithZod(form, { schema: HandoverSchema });
    if (submission.status !== 'success')
      return data(
        { intent: 'handover' as const, result: submission.reply(), error: null },
        { status: 400 },
      );
    const done = await recordHandover(
      context.db,
      { ...staff.actor, actorId: staff.session.accountId },
      city,
      id.data,
      submission.value,
    );
    if (done.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
    if (done.outcome === 'issued')
      return {
        intent: 'handover' as const,
        done: true as const,
        result: submission.reply({ resetForm: true }),
      };
    return data(
      {
        intent: 'handover' as const,
        result: submission.reply(),
        error: done.outcome,
        state: done.outcome === 'not_booked' ? done.state : undefined,
      },
      { status: 409 },
    );
  }

  const move = MoveSchema.safeParse(Object.fromEntries(form));
  if (!move.success)
    return data({ intent: 'move' as const, error: 'invalid' as const }, { status: 400 });
  const { to, from, reason } = move.data;
  if (reason && reason.length > 500)
    return data({ intent: 'move' as const, error: 'reason_too_long' as const }, { status: 400 });
  const moved = await moveTarget(context.db, staff.actor, city, id.data, to, {
    expectedFrom: from,
    reason,
  });
  if (moved.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
  if (moved.outcome === 'moved') return { intent: 'move' as const, moved };
  return data(
    { intent: 'move' as const, error: moved.outcome, refused: moved },
    { status: moved.outcome === 'reason_required' ? 400 : 409 },
  );
}

/**
 * A refusal because the target changed (another clerk's move or hand-over) means this page is
 * out of date: read it again, so the answer sits beside what is now true (the record shown).
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  actionStatus,
  defaultShouldRevalidate,
}) => actionStatus === 409 || defaultShouldRevalidate;

export default function TargetDetail() {
  const { t } = useTranslation('adminTargets');
  const { lang } = useParams();
  const { target, moves, handovers, canHandOver, back } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const heading = aroundValue(t('detail.title', { name: VALUE_MARK }));
  return (
    <div className="page">
      <p>
        <Link to={back ?? `/${lang}/admin/targets`}>
          {t(back ? 'detail.backTo' : 'detail.back')}
        </Link>
      </p>
      <h1>
        {heading.before}
        <span lang="ja">{userText(target.name)}</span>
        {heading.after}
      </h1>
      <ActionAnswer answer={answer} />
      <TargetRecord />
      <h2 id="history-title">{t('detail.history')}</h2>
      <HistoryTable moves={moves} importedAt={target.createdAt} />
      <MovesPanel />
      {canHandOver ? <HandoverForm /> : null}
      {handovers.map((h) => (
        <HandoverRecord key={h.manufactureNo} handover={h} />
      ))}
    </div>
  );
}
