import { useLoaderData, useLocation, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { EmailAddress } from '../../ui/layout.tsx';
import { answerText } from '../../reservations/staff-days.ts';
import type { DayLoader } from './route.tsx';
import { WaitlistCount } from '../../reservations/ui/waitlist-section.tsx';

type Slot = Awaited<ReturnType<DayLoader>>['slots'][number];

/**
 * One slot of the day list: its places, then one row per person booked, with a tick box.
 * A full day is ~500 rows: the row links are plain anchors to absolute paths (a Remix Link
 * resolves its path through the router on every render, 1,000 times a page) and their `back`
 * queries are encoded once per table.
 */
export function SlotTable({ slot }: { slot: Slot }) {
  const { t } = useTranslation('reservationDays');
  const { lang } = useParams();
  const location = useLocation();
  const { day, facility } = useLoaderData<DayLoader>();
  const toList = encodeURIComponent(
    `/${lang}/admin/reservations/days?date=${day}&facility=${facility?.id ?? ''}`,
  );
  const toHere = encodeURIComponent(location.pathname + location.search);
  // The same words on every row, translated once.
  const words = {
    sameBooking: t('day.sameBooking'),
    noEmail: t('day.noEmail'),
    handover: t('day.handover'),
    change: t('day.change'),
  };
  const titleId = `slot-${slot.id}`;
  const people = slot.bookings.flatMap((b) => b.members.map((m, i) => ({ b, m, first: i === 0 })));
  return (
    <div className="day-list__slot">
      <h2 id={titleId}>
        {t('day.slotTitle', { from: slot.from, to: slot.to })}{' '}
        <span className="day-list__places">
          {slot.closed
            ? t('day.closed')
            : t('day.places', { taken: slot.taken, capacity: slot.capacity })}
        </span>
        <WaitlistCount {...slot.waitlist} />
      </h2>
      {people.length === 0 ? (
        <p>{t('day.noBookings')}</p>
      ) : (
        <TableRegion labelledBy={titleId}>
          <table>
            <thead>
              <tr>
                <th scope="col" className="day-list__check">
                  {t('columns.check')}
                </th>
                <th scope="col">{t('columns.reservationId')}</th>
                <th scope="col">{t('columns.name')}</th>
                <th scope="col">{t('columns.places')}</th>
                <th scope="col">{t('columns.phone')}</th>
                <th scope="col">{t('columns.email')}</th>
                <th scope="col">{t('columns.needs')}</th>
                <th scope="col">{t('columns.answers')}</th>
                <th scope="col" className="screen-only">
                  {t('columns.actions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {people.map(({ b, m, first }) => (
                <tr key={`${b.id}-${m.targetId}`}>
                  <td className="day-list__check">
                    <input
                      type="checkbox"
                      aria-label={t('columns.checkOne', { name: m.name })}
                      name="arrived"
                      value={m.targetId}
                    />
                  </td>
                  <td>{m.reservationId ?? '—'}</td>
                  <th scope="row">
                    <span lang="ja">{m.name}</span>
                  </th>
                  <td>{first ? t('day.bookingPlaces', { count: b.places }) : words.sameBooking}</td>
                  <td>{b.phone || '—'}</td>
                  <td>{b.email ? <EmailAddress address={b.email} /> : words.noEmail}</td>
                  <td>
                    {b.needs.length > 0 ? b.needs.map((n) => t(`needs.${n}`)).join('、') : '—'}
                  </td>
                  <td>
                    {b.answers.length > 0 ? (
                      <ul className="day-list__answers">
                        {b.answers.map((a) => (
                          <li key={a.question}>
                            {a.question}: {answerText(a.value, t)}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="screen-only">
                    <ul className="day-list__row-actions">
                      {/* A renewal target's state is the renewal's (its booking page marks it). */}
                      {b.kind === 'cert_renewal' ? null : m.state === 'booked' ? (
                        <li>
                          <a
                            href={`/${lang}/admin/targets/${m.targetId}?back=${toList}#handover-title`}
                          >
                            {words.handover}
                            <span className="visually-hidden">{` (${m.name})`}</span>
                          </a>
                        </li>
                      ) : (
                        <li>{t(`adminTargets:states.${m.state}`)}</li>
                      )}
                      {first ? (
                        <li>
                          <a href={`/${lang}/admin/reservations/days/${b.id}?back=${toHere}`}>
                            {words.change}
                            <span className="visually-hidden">{` (${m.name})`}</span>
                          </a>
                        </li>
                      ) : null}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
}
