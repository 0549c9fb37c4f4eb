/**
 * What every step of the booking flow needs first (decision 0052): the resident's booking
 * session (no session: back to the sign-in), the page's language and the answers so far.
 */
import { redirect } from '@remix-run/node';
import type { AppContext } from '../context.ts';
import type { AuditActor } from '../audit/audit.ts';
import { isLocale, type Locale } from '../i18n/locales.ts';
import { bookingTokenFrom, readBookingSession } from './booking-session.server.ts';
import { stepHref, type FlowState, type Step } from './booking-flow.ts';
import { readFlowState } from './booking-flow-input.server.ts';
import {
  facilitiesFor,
  readMembers,
  readVerifiedMembers,
  slotChoice,
} from './booking-flow.service.server.ts';
import { bookingRules } from './booking.service.server.ts';
import { BOOKING_SIGN_IN_PATH } from './booking.ts';

export async function flowRequest(
  request: Request,
  params: { lang?: string },
  context: AppContext,
  form?: FormData,
) {
  const lang: Locale = isLocale(params.lang) ? params.lang : 'ja';
  const session = await readBookingSession(context.db, bookingTokenFrom(request));
  if (!session) throw redirect(`/${lang}${BOOKING_SIGN_IN_PATH}`);
  const query = form
    ? new URLSearchParams(
        [...form.entries()].flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
      )
    : new URL(request.url).searchParams;
  const state = readFlowState(query);
  const actor: AuditActor = {
    actorType: 'anonymous',
    actorId: null,
    onBehalfOfResidentId: null,
    ip: context.clientIp,
  };
  return { lang, session, state, actor, code: session.municipalityCode };
}

/** Back to a step with an error (or several) for its fields, every answer kept. */
export function backTo(
  lang: string,
  step: Step,
  state: Partial<FlowState>,
  errors: Record<string, string>,
): never {
  const href = stepHref(lang, step, state);
  const extra = new URLSearchParams(Object.entries(errors).map(([k, v]) => [`e.${k}`, v]));
  throw redirect(`${href}${href.includes('?') ? '&' : '?'}${extra.toString()}`);
}

/** The errors a step was sent back with (`e.<field>=<i18n key>`). */
export function stepErrors(request: Request): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [k, v] of new URL(request.url).searchParams)
    if (k.startsWith('e.') && /^[a-zA-Z.]{1,60}$/.test(v)) errors[k.slice(2)] = v;
  return errors;
}

type FlowRequest = Awaited<ReturnType<typeof flowRequest>>;

/** What the resident answered, as a booking (or a waitlist entry) takes it: the signed-in
 * target first, then the verified household members. */
export function flowAnswers(ctx: FlowRequest, context: AppContext, state: FlowState) {
  return {
    slotId: state.slot!,
    members: [
      { targetId: ctx.session.targetId, verifiedBy: 'session' as const },
      ...readVerifiedMembers(context.secrets, ctx.session.id, state.members),
    ],
    email: state.email!.trim(),
    phone: state.phone?.trim() || undefined,
    locale: ctx.lang,
    answers: state.answers,
    needs: state.needs,
  };
}

/** A refused booking (or waitlist join) back to the step whose answer it refused. */
export function backToRefusal(lang: string, state: FlowState, refusal: { outcome: string }): never {
  switch (refusal.outcome) {
    case 'slot_past_deadline':
    case 'slot_beyond_horizon':
      return backTo(lang, 'time', state, { slot: 'errors.pastDeadline' });
    case 'slot_unavailable':
    case 'slot_not_found':
      return backTo(lang, 'time', state, { slot: 'errors.slotUnavailable' });
    case 'too_many':
      return backTo(lang, 'people', state, { members: 'errors.overMax' });
    case 'member_already_booked':
      return backTo(lang, 'people', state, { members: 'errors.memberAlreadyBooked' });
    default:
      return backTo(lang, 'people', state, { members: 'errors.memberCannotBook' });
  }
}

/**
 * The steps up to the people step checked again: facility, a slot still with room for the
 * people so far (else back to the time step, answers kept), the verified members and the rules.
 */
export async function flowSoFar(ctx: FlowRequest, context: AppContext) {
  const { lang, state, session, code } = ctx;
  const kind = state.kind ?? 'card_pickup';
  const facility = (await facilitiesFor(context.db, code, kind)).find(
    (f) => f.id === state.facility,
  );
  if (!facility) backTo(lang, 'facility', state, { facility: 'errors.facilityRequired' });
  if (!state.slot) backTo(lang, 'time', state, { slot: 'errors.slotRequired' });
  const members = readMembers(context.secrets, session.id, state.members);
  const slot = await slotChoice(
    context.db,
    code,
    kind,
    facility.id,
    state.slot,
    1 + members.length,
  );
  if (!slot) backTo(lang, 'time', state, { slot: 'errors.slotUnavailable' });
  // Joining the waitlist of a full slot (decision 0054); one with room again is simply booked.
  const waitlist = state.waitlist && slot.open && !slot.choosable ? state.waitlist : undefined;
  if (!slot.choosable && !waitlist)
    backTo(
      lang,
      'time',
      { ...state, day: slot.day },
      {
        slot: slot.left > 0 ? 'errors.slotTooSmall' : 'errors.slotFull',
      },
    );
  const rules = await bookingRules(context.db, code, kind);
  return {
    kind,
    facility,
    slot,
    members,
    rules,
    state: { ...state, kind, day: slot.day, waitlist } satisfies FlowState,
  };
}
