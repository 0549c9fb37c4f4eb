/**
 * What a form's fields hold, read and written the way typing would: hidden fields (an
 * idempotency key), files, passwords and buttons are never read or written.
 */
export type Fields = Record<string, string | string[]>;
const SKIPPED = new Set(['hidden', 'file', 'password', 'submit', 'button', 'reset', 'image']);

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
function controls(form: HTMLFormElement): Control[] {
  return Array.from(form.elements).filter(
    (el): el is Control =>
      (el instanceof HTMLInputElement ||
        el instanceof HTMLTextAreaElement ||
        el instanceof HTMLSelectElement) &&
      Boolean(el.name) &&
      !el.disabled &&
      !SKIPPED.has(el.type),
  );
}

export function readFields(form: HTMLFormElement): Fields {
  const fields: Fields = {};
  for (const el of controls(form)) {
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
      const list = (fields[el.name] ??= []) as string[];
      if (el.checked) list.push(el.value);
    } else if (el instanceof HTMLSelectElement && el.multiple) {
      fields[el.name] = Array.from(el.selectedOptions, (o) => o.value);
    } else {
      fields[el.name] = el.value;
    }
  }
  return fields;
}

export function writeFields(form: HTMLFormElement, fields: Fields): void {
  for (const el of controls(form)) {
    const saved = fields[el.name];
    if (saved === undefined) continue;
    const list = Array.isArray(saved) ? saved : [saved];
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
      el.checked = list.includes(el.value);
    } else if (el instanceof HTMLSelectElement && el.multiple) {
      for (const option of Array.from(el.options)) option.selected = list.includes(option.value);
    } else {
      el.value = list[0] ?? '';
    }
    // The form library listens for these, as it would for typing.
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
}
