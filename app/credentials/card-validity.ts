/**
 * A My Number card's validity (マイナンバー法施行令): it expires on the holder's 10th birthday
 * after the issue day, or the 5th when the holder was under 18 on that day. A birthday on the
 * issue day itself is not "after" it; born on 29 February, the card runs to 28 February in a
 * year without the 29th. Dates are 'YYYY-MM-DD' (Japan's calendar days).
 */
export function cardExpiry(birthDate: string, issuedOn: string): string {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [iy, im, id] = issuedOn.split('-').map(Number) as [number, number, number];
  const ageAtIssue = iy - by - (im < bm || (im === bm && id < bd) ? 1 : 0);
  const birthdaysAfter = ageAtIssue >= 18 ? 10 : 5;
  const firstBirthdayYear = im > bm || (im === bm && id >= bd) ? iy + 1 : iy;
  const year = firstBirthdayYear + birthdaysAfter - 1;
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const day = bm === 2 && bd === 29 && !leap(year) ? 28 : bd;
  return `${year}-${String(bm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
