import type { SubmissionResult } from '@conform-to/react';

/** One field of a form as the server last answered it: where it is, what was wrong, what was typed. */
export type FieldAnswer = {
  id: string;
  name: string;
  /** Message keys for this field, `undefined` when it had none. */
  errors: string[] | undefined;
  /** The value the server sends back (never a hidden field such as a password). */
  defaultValue: string | undefined;
  /** All values of a repeated field (check boxes); `undefined` when no values came back. */
  defaultOptions: string[] | undefined;
};

export type FormAnswer<Shape> = {
  id: string;
  /** Form-level message keys (`formErrors` of the reply). */
  errors: string[] | undefined;
  fields: { [Name in keyof Shape & string]: FieldAnswer };
};

const present = (errors: string[] | null | undefined) =>
  errors && errors.length > 0 ? errors : undefined;

/**
 * Reads the server's answer to a form (conform's `submission.reply()`, made by the action with
 * the zod schema) without conform's browser runtime (decision 0070, addendum 2). Resident
 * forms validate on submit on the server only, so the browser needs nothing but the answer:
 * each field's id (`${formId}-${name}`, as conform names them), its errors and the value to
 * show again. Works the same on the server render (no JavaScript) and after hydration.
 */
export function formAnswer<Shape>(
  formId: string,
  result: SubmissionResult<string[]> | null | undefined,
): FormAnswer<Shape> {
  const values = result?.initialValue;
  const field = (name: string): FieldAnswer => {
    const value = values?.[name];
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    const strings = list.filter((v): v is string => typeof v === 'string');
    return {
      id: `${formId}-${name}`,
      name,
      errors: present(result?.error?.[name]),
      defaultValue: strings[0],
      // An answer with values but none for this field: every box was left unticked.
      defaultOptions: values ? strings : undefined,
    };
  };
  const cache = new Map<string, FieldAnswer>();
  const fields = new Proxy({} as FormAnswer<Shape>['fields'], {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      let answer = cache.get(name);
      if (!answer) cache.set(name, (answer = field(name)));
      return answer;
    },
  });
  return { id: formId, errors: present(result?.error?.['']), fields };
}

/**
 * The attributes that tie an input to its field: id and name, and the value the server sent
 * back (as conform's `getInputProps` gave them). Not for passwords: a password is never put
 * back into a page.
 */
export const inputOf = (field: FieldAnswer) => ({
  id: field.id,
  name: field.name,
  defaultValue: field.defaultValue,
});
