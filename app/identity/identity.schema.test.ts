import { describe, expect, it } from 'vitest';
import { FirstAccessSchema } from './identity.schema.server.ts';
import { birthDateFrom } from './birth-date.ts';

const issues = (value: object) => {
  const result = FirstAccessSchema.safeParse(value);
  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
};

describe('first access form', () => {
  it('reports every missing field at once', () => {
    expect(issues({})).toEqual({
      code: 'firstAccess.errors.required',
      password: 'firstAccess.errors.required',
      birthYear: 'firstAccess.errors.birthRequired',
    });
  });

  it('says which calendar a year must be in, and where an era ends', () => {
    const letter = { code: 'AB12CD34EF56', password: 'x', birthMonth: '1', birthDay: '8' };
    expect(issues({ ...letter, birthYear: 'X23' })).toEqual({
      birthYear: 'firstAccess.errors.birthYear',
    });
    expect(issues({ ...letter, birthYear: '昭和64' })).toEqual({
      birthYear: 'firstAccess.errors.era.showa',
    });
    expect(issues({ ...letter, birthYear: '平成元' })).toEqual({});
  });

  it('accepts a real past date in either calendar, refuses a future one', () => {
    const today = new Date('2026-12-02T00:00:00+09:00');
    expect(birthDateFrom({ birthYear: '昭和23', birthMonth: '5', birthDay: '6' }, today)).toEqual({
      date: '1948-05-06',
    });
    expect(birthDateFrom({ birthYear: 'R8', birthMonth: '12', birthDay: '2' }, today)).toEqual({
      date: '2026-12-02',
    });
    expect(birthDateFrom({ birthYear: 'R8', birthMonth: '12', birthDay: '3' }, today)).toEqual({
      error: 'firstAccess.errors.birthDate',
    });
    expect(birthDateFrom({ birthYear: '1889', birthMonth: '1', birthDay: '1' }, today)).toEqual({
      error: 'firstAccess.errors.birthDate',
    });
  });
});
