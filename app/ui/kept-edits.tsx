import { useEffect, useLayoutEffect, useRef } from 'react';
import { readFields, writeFields, type Fields } from './form-fields.ts';
import { holdFocusForTyping } from './focus.ts';

/**
 * Typing kept across a search form's rebuild. A staff search form is rebuilt for every search
 * it sends (`useSearchKey`): the new form starts from the answer, so its error summary takes
 * focus again. What the clerk typed after pressing Search, while the answer was on its way,
 * must not be thrown away by that rebuild: the fields changed since the search was sent are
 * put back into the new form. A field left as sent shows the answer's value. And when the
 * clerk is at work in one of them as the answer arrives (typed in it, or went to it, since
 * sending), focus stays in that field, caret and all, instead of moving to the answer, which
 * its live region still announces.
 *
 * One line inside the form: `<KeptEdits name="…" />`.
 */
type Carried = {
  fields: Fields;
  focus: { name: string; start: number | null; end: number | null } | null;
};
const carried = new Map<string, Carried>();

// Before the new form is painted, so no click can reach it while it still shows the old
// values (a passive effect runs after paint; a click in between sent the old search again).
const useCommitEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

function changedSince(sent: Fields, now: Fields): Fields {
  const changed: Fields = {};
  for (const [name, value] of Object.entries(now))
    if (JSON.stringify(value) !== JSON.stringify(sent[name])) changed[name] = value;
  return changed;
}

/** An input of a type without a caret (number, email in some browsers) throws when asked. */
function selection(
  field: HTMLInputElement | HTMLTextAreaElement,
  which: 'selectionStart' | 'selectionEnd',
) {
  try {
    return field[which];
  } catch {
    return null;
  }
}

export function KeptEdits({ name }: { name: string }) {
  const anchor = useRef<HTMLSpanElement>(null);
  useCommitEffect(() => {
    const form = anchor.current?.closest('form');
    if (!form) return;
    // The old form's cleanup and this form's start run in the same commit.
    const edits = carried.get(name);
    carried.delete(name);
    if (edits) {
      writeFields(form, edits.fields);
      const field = edits.focus && form.elements.namedItem(edits.focus.name);
      if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
        field.focus();
        if (edits.focus?.start != null)
          field.setSelectionRange(edits.focus.start, edits.focus.end ?? edits.focus.start);
        holdFocusForTyping(field);
      }
    }
    let sent: { fields: Fields; focus: Element | null } | null = null;
    const submitted = () => {
      sent = { fields: readFields(form), focus: document.activeElement };
    };
    form.addEventListener('submit', submitted);
    return () => {
      form.removeEventListener('submit', submitted);
      if (!sent) return;
      const changed = changedSince(sent.fields, readFields(form));
      // A layout effect's cleanup runs before React takes the old form out of the page, so
      // the field being typed in still has focus here. The clerk is at work in it when they
      // typed in it or went to it after sending the search (Enter in the field that sent it,
      // and nothing typed since, lets focus move on to the answer as usual).
      const active = document.activeElement;
      const typing =
        (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) &&
        form.contains(active) &&
        (active.name in changed || active !== sent.focus);
      if (Object.keys(changed).length === 0 && !typing) return;
      carried.set(name, {
        fields: changed,
        focus: typing
          ? {
              name: active.name,
              start: selection(active, 'selectionStart'),
              end: selection(active, 'selectionEnd'),
            }
          : null,
      });
      // Only for the rebuild: leaving the page drops it.
      setTimeout(() => carried.delete(name), 0);
    };
  }, [name]);
  return <span ref={anchor} hidden />;
}
