import { useEffect, useLayoutEffect, useRef } from 'react';
import { readFields, writeFields, type Fields } from './form-fields.ts';

/**
 * Typing kept across a search form's rebuild. A staff search form is rebuilt for every search
 * it sends (`useSearchKey`): the new form starts from the answer, so its error summary takes
 * focus again. What the clerk typed after pressing Search, while the answer was on its way,
 * must not be thrown away by that rebuild: the fields changed since the search was sent are
 * put back into the new form. A field left as sent shows the answer's value.
 *
 * One line inside the form: `<KeptEdits name="…" />`.
 */
const carried = new Map<string, Fields>();

// Before the new form is painted, so no click can reach it while it still shows the old
// values (a passive effect runs after paint; a click in between sent the old search again).
const useCommitEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

function changedSince(sent: Fields, now: Fields): Fields {
  const changed: Fields = {};
  for (const [name, value] of Object.entries(now))
    if (JSON.stringify(value) !== JSON.stringify(sent[name])) changed[name] = value;
  return changed;
}

export function KeptEdits({ name }: { name: string }) {
  const anchor = useRef<HTMLSpanElement>(null);
  useCommitEffect(() => {
    const form = anchor.current?.closest('form');
    if (!form) return;
    // The old form's cleanup and this form's start run in the same commit.
    const edits = carried.get(name);
    carried.delete(name);
    if (edits) writeFields(form, edits);
    let sent: Fields | null = null;
    const submitted = () => {
      sent = readFields(form);
    };
    form.addEventListener('submit', submitted);
    return () => {
      form.removeEventListener('submit', submitted);
      if (!sent) return;
      const changed = changedSince(sent, readFields(form));
      if (Object.keys(changed).length === 0) return;
      carried.set(name, changed);
      // Only for the rebuild: leaving the page drops it.
      setTimeout(() => carried.delete(name), 0);
    };
  }, [name]);
  return <span ref={anchor} hidden />;
}
