/**
 * The booking flow's confirm when the resident is joining a full slot's waitlist instead of
 * booking it (decision 0054): the same answers, checked by the same steps, kept in the line.
 */
import { redirect } from '@remix-run/node';
import type { AppContext } from '../context.ts';
import { backToRefusal, flowAnswers, type flowRequest } from './booking-flow.server.ts';
import { stepHref, type FlowState } from './booking-flow.ts';
import type { AppointmentKind } from './booking-rules.ts';
import { joinWaitlist } from './waitlist.service.server.ts';

/** `state` is the flow checked again by flowSoFar (its `waitlist` gone if the slot has room). */
export async function joinFromFlow(
  ctx: Awaited<ReturnType<typeof flowRequest>>,
  context: AppContext,
  kind: AppointmentKind,
  state: FlowState,
  joinKey: string,
): Promise<Response> {
  const { lang } = ctx;
  // Places came free since the check page was shown: never book on a "join" button; the same
  // answers, now a booking, go back to the check page to be confirmed as one.
  if (!state.waitlist) return redirect(stepHref(lang, 'check', state));
  const outcome = await joinWaitlist(context.db, ctx.actor, {
    municipalityCode: ctx.code,
    kind,
    ...flowAnswers(ctx, context, state),
    joinKey,
  });
  switch (outcome.outcome) {
    case 'joined':
      return redirect(`/${lang}/reservations?waitlist=joined`);
    case 'already_waiting':
      return redirect(`/${lang}/reservations?waitlist=alreadyWaiting`);
    case 'slot_has_room':
      // Places came free meanwhile: the same answers, now a booking to check and confirm.
      return redirect(stepHref(lang, 'check', { ...state, waitlist: undefined }));
    default:
      return backToRefusal(lang, state, outcome);
  }
}
