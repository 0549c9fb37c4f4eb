import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseWithZod } from '@conform-to/zod/v4';
import { formAnswer } from './form-answer.ts';

const Schema = z.object({
  name: z.string({ error: 'name.required' }).max(5, 'name.long'),
  password: z.string({ error: 'password.required' }),
  scopes: z.array(z.string()).min(1, 'scopes.none'),
});

function formData(entries: [string, string][]) {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
}

// The answers come from conform's own server side, exactly as the actions make them.
describe('formAnswer reads the server reply as conform did in the browser', () => {
  it('gives each field its conform id, its errors and the value to show again', () => {
    const submission = parseWithZod(
      formData([
        ['name', 'far too long'],
        ['password', 'secret'],
        ['scopes', 'a'],
        ['scopes', 'b'],
      ]),
      { schema: Schema },
    );
    expect(submission.status).toBe('error');
    const answer = formAnswer<z.input<typeof Schema>>(
      'f',
      JSON.parse(JSON.stringify(submission.reply({ hideFields: ['password'] }))),
    );
    expect(answer.fields.name).toMatchObject({
      id: 'f-name',
      name: 'name',
      errors: ['name.long'],
      defaultValue: 'far too long',
    });
    expect(answer.fields.password.errors).toBeUndefined();
    expect(answer.fields.password.defaultValue).toBeUndefined();
    expect(answer.fields.scopes.defaultOptions).toEqual(['a', 'b']);
    expect(answer.fields.scopes.errors).toBeUndefined();
    expect(answer.errors).toBeUndefined();
  });

  it('reports missing fields and form-level errors', () => {
    const submission = parseWithZod(formData([]), { schema: Schema });
    const answer = formAnswer<z.input<typeof Schema>>(
      'g',
      submission.reply({ formErrors: ['form.locked'] }),
    );
    expect(answer.errors).toEqual(['form.locked']);
    expect(answer.fields.name.errors).toEqual(['name.required']);
    expect(answer.fields.scopes.errors?.length).toBe(1);
    expect(answer.fields.name.defaultValue).toBeUndefined();
    // Values came back, none for the check boxes: every box was left unticked.
    expect(answer.fields.scopes.defaultOptions).toEqual([]);
  });

  it('shows nothing after a reset or before any answer', () => {
    const submission = parseWithZod(
      formData([
        ['name', 'ok'],
        ['password', 'p'],
        ['scopes', 'a'],
      ]),
      { schema: Schema },
    );
    expect(submission.status).toBe('success');
    for (const result of [submission.reply({ resetForm: true }), undefined]) {
      const answer = formAnswer<z.input<typeof Schema>>('h', result);
      expect(answer.fields.name.defaultValue).toBeUndefined();
      expect(answer.fields.name.errors).toBeUndefined();
      expect(answer.errors).toBeUndefined();
      expect(answer.fields.scopes.defaultOptions).toBeUndefined();
    }
  });
});
