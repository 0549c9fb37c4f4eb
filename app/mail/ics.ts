/**
 * An iCalendar (RFC 5545) file holding one appointment, attached to booking emails. Written by
 * hand: a handful of properties, and the two rules that matter are easy to get exactly right —
 * CRLF line ends, and lines folded at 75 octets without cutting a UTF-8 character (Japanese
 * place names are 3 octets a character). Times are UTC (`…Z`), which every calendar converts to
 * the reader's zone; no VTIMEZONE is needed.
 */
export type Appointment = {
  /** Stable across changes of the same booking, so a calendar updates the event in place. */
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location?: string;
  description?: string;
  /** Raise on every change of the booking (RFC 5545 SEQUENCE). */
  sequence?: number;
  /** When the file was made (DTSTAMP); defaults to now. */
  stamp?: Date;
  /** 'CANCEL' for a cancelled booking: calendars remove the event. */
  method?: 'PUBLISH' | 'REQUEST' | 'CANCEL';
  organizer?: { name: string; email: string };
};

const utc = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11). */
export function escapeIcsText(value: string): string {
  return value
    .replaceAll('\\', '\\\\')
    .replaceAll(';', '\\;')
    .replaceAll(',', '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/**
 * Folds one content line into lines of at most 75 octets (RFC 5545 3.1): continuation lines
 * start with a space, which counts toward their 75. A character is never split.
 */
export function foldIcsLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function appointmentIcs(appointment: Appointment): string {
  if (!(appointment.end > appointment.start))
    throw new Error('an appointment ends after it starts');
  const method = appointment.method ?? 'PUBLISH';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Madoguchi//Booking//JA',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${escapeIcsText(appointment.uid)}`,
    `DTSTAMP:${utc(appointment.stamp ?? new Date())}`,
    `DTSTART:${utc(appointment.start)}`,
    `DTEND:${utc(appointment.end)}`,
    `SEQUENCE:${appointment.sequence ?? 0}`,
    `STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    `SUMMARY:${escapeIcsText(appointment.summary)}`,
  ];
  if (appointment.location) lines.push(`LOCATION:${escapeIcsText(appointment.location)}`);
  if (appointment.description) lines.push(`DESCRIPTION:${escapeIcsText(appointment.description)}`);
  if (appointment.organizer)
    lines.push(
      `ORGANIZER;CN="${appointment.organizer.name.replace(/["\r\n]/g, '')}":mailto:${appointment.organizer.email}`,
    );
  lines.push('END:VEVENT', 'END:VCALENDAR');
  return lines.map(foldIcsLine).join('\r\n') + '\r\n';
}

/** An .ics attachment for an outgoing mail. */
export function appointmentAttachment(appointment: Appointment, filename = 'appointment.ics') {
  const method = appointment.method ?? 'PUBLISH';
  return {
    filename,
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: encoder.encode(appointmentIcs(appointment)),
  };
}
