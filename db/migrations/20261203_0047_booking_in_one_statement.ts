import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code. A later change to booking_book is
// a new migration (CREATE OR REPLACE), never an edit here.
// Decision 0071: book()'s transaction in one round trip. The service (TypeScript) reads the
// context and judges the rules that need no lock (deadline, horizon, maximum); this function
// does the rest, in the order book() did it:
//   lock the targets by id; a booking committed meanwhile with the same idempotency key
//   answers as a replay; members already booked, targets that cannot book; take the places
//   with one conditional update (`taken + n <= capacity`, the CHECK on booking_slot stays)
//   or consume a held waitlist offer; insert the booking and its members; link the offer;
//   move pickup targets to 'booked' (the history trigger reads the two settings set first);
//   close the residents' "book your pickup" to-dos; insert the audit entry (unsealed, chained
//   later by audit_seal, decision 0032).
// A refusal returns before the first write, so the caller's transaction (or the statement's
// own, when called alone) holds nothing but row locks. Called alone (p_alone), it refuses to
// book people who wait in a waitlist line ('needs_transaction', nothing written): dropping
// their entries may give held places to the next in line with an email, which the service
// does in TypeScript, so it calls again inside a transaction of its own.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function booking_book(
      p_code text,
      p_kind text,
      p_slot_id uuid,
      p_booking_id uuid,
      p_target_ids uuid[],
      p_verified_by text[],
      p_bookable_state text,
      p_email text,
      p_phone text,
      p_locale text,
      p_answers jsonb,
      p_needs text[],
      p_idempotency_key text,
      p_via text,
      p_staff uuid,
      p_offer uuid,
      p_todo_kind text,
      p_now timestamptz,
      p_audit jsonb,
      p_alone boolean
    ) returns table (outcome text, booking_id uuid, target_ids text[], places_left integer,
      waitlisted boolean)
    language plpgsql
    as $fn$
    #variable_conflict use_column
    declare
      v_renewal boolean := p_kind = 'cert_renewal';
      v_places integer := cardinality(p_target_ids);
      v_winner uuid;
      v_ids text[];
      v_waitlisted boolean;
      v_left integer;
    begin
      -- Locked in a fixed order first: a second booking for the same people waits here.
      if v_renewal then
        perform 1 from renewal_target t
          where t.municipality_code = p_code and t.id = any(p_target_ids)
          order by t.id for update;
      else
        perform 1 from pickup_target t
          where t.municipality_code = p_code and t.id = any(p_target_ids)
          order by t.id for update;
      end if;

      -- The same form raced in twice: the first has committed while this one waited.
      select b.id into v_winner from booking b
        where b.municipality_code = p_code and b.idempotency_key = p_idempotency_key;
      if v_winner is not null then
        return query select 'replayed'::text, v_winner, null::text[], null::integer, null::boolean;
        return;
      end if;

      if v_renewal then
        v_ids := array(select m.renewal_target_id::text from booking_renewal_member m
          where m.municipality_code = p_code and m.renewal_target_id = any(p_target_ids)
            and m.active);
      else
        v_ids := array(select m.target_id::text from booking_member m
          where m.municipality_code = p_code and m.target_id = any(p_target_ids) and m.active);
      end if;
      if cardinality(v_ids) > 0 then
        return query select 'member_already_booked'::text, null::uuid, v_ids, null::integer,
          null::boolean;
        return;
      end if;

      v_ids := array(select i.id::text from unnest(p_target_ids) with ordinality as i(id, n)
        where not exists (
          select 1 from pickup_target t where not v_renewal and t.municipality_code = p_code
            and t.id = i.id and t.state::text = p_bookable_state
          union all
          select 1 from renewal_target t where v_renewal and t.municipality_code = p_code
            and t.id = i.id and t.state::text = p_bookable_state)
        order by i.n);
      if cardinality(v_ids) > 0 then
        return query select 'member_cannot_book'::text, null::uuid, v_ids, null::integer,
          null::boolean;
        return;
      end if;

      -- Waitlist joins lock the same targets first: no entry appears after this read.
      v_waitlisted := exists (
        select 1 from booking_waitlist w, unnest(p_target_ids::text[]) as t(id)
        where w.municipality_code = p_code and w.status in ('waiting', 'offered')
          and w.members @> jsonb_build_array(jsonb_build_object('targetId', t.id)));
      if v_waitlisted and p_alone then
        return query select 'needs_transaction'::text, null::uuid, null::text[], null::integer,
          true;
        return;
      end if;

      if p_offer is not null then
        -- A held offer becomes this booking: its places are already counted in the slot's taken.
        update booking_waitlist w set status = 'accepted', ended_at = now()
          where w.municipality_code = p_code and w.id = p_offer and w.status = 'offered'
            and w.slot_id = p_slot_id and w.places = v_places and w.offer_expires_at > p_now;
        if not found then
          return query select 'offer_expired'::text, null::uuid, null::text[], null::integer,
            null::boolean;
          return;
        end if;
      else
        -- One conditional update: no read-then-write window.
        update booking_slot s set taken = s.taken + v_places
          where s.municipality_code = p_code and s.id = p_slot_id and s.closed_at is null
            and s.taken + v_places <= s.capacity;
        if not found then
          select greatest(0, s.capacity - s.taken) into v_left from booking_slot s
            where s.municipality_code = p_code and s.id = p_slot_id;
          return query select 'slot_full'::text, null::uuid, null::text[], coalesce(v_left, 0),
            null::boolean;
          return;
        end if;
      end if;

      insert into booking (municipality_code, id, kind, slot_id, places, email, phone, locale,
          answers, needs, idempotency_key, booked_via, booked_by_staff)
        values (p_code, p_booking_id, p_kind, p_slot_id, v_places, p_email, p_phone, p_locale,
          p_answers, p_needs, p_idempotency_key, p_via, p_staff);
      if v_renewal then
        insert into booking_renewal_member (municipality_code, booking_id, renewal_target_id,
            verified_by)
          select p_code, p_booking_id, m.id, m.verified_by
          from unnest(p_target_ids, p_verified_by) as m(id, verified_by);
      else
        insert into booking_member (municipality_code, booking_id, target_id, verified_by)
          select p_code, p_booking_id, m.id, m.verified_by
          from unnest(p_target_ids, p_verified_by) as m(id, verified_by);
      end if;
      if p_offer is not null then
        update booking_waitlist w set booking_id = p_booking_id
          where w.municipality_code = p_code and w.id = p_offer;
      end if;

      if not v_renewal then
        -- The history trigger (migration 20261202_0025) writes a row per target with these.
        perform set_config('madoguchi.move_by', coalesce(p_staff::text, ''), true),
          set_config('madoguchi.move_reason', '', true);
        update pickup_target t set state = 'booked'
          where t.municipality_code = p_code and t.id = any(p_target_ids);
        -- Booked: the to-do of each resident whose card matches a target is done (decision 0055).
        update todo d set status = 'done', status_changed_at = p_now
          from resident r
          join pickup_target t on t.municipality_code = r.municipality_code
            and t.manufacture_no = r.card_manufacture_number and t.birth_date = r.birth_date
          where t.municipality_code = p_code and t.id = any(p_target_ids)
            and d.resident_id = r.id and d.kind = p_todo_kind and d.status = 'open';
      end if;

      -- The entry as the service checked it (recordAudit's schema), camel-cased as it is there.
      insert into audit_log (actor_type, actor_id, on_behalf_of_resident_id, action,
          target_type, target_id, outcome, ip, details)
        values (p_audit->>'actorType', p_audit->>'actorId',
          (p_audit->>'onBehalfOfResidentId')::uuid, p_audit->>'action', p_audit->>'targetType',
          p_audit->>'targetId', p_audit->>'outcome', (p_audit->>'ip')::inet,
          coalesce(p_audit->'details', '{}'::jsonb));

      return query select 'booked'::text, p_booking_id, null::text[], null::integer,
        v_waitlisted;
    end
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists booking_book(text, text, uuid, uuid, uuid[], text[], text,
    text, text, text, jsonb, text[], text, text, uuid, uuid, text, timestamptz, jsonb, boolean)`.execute(
    db,
  );
}
