import { useEffect, useRef } from 'react';

/**
 * A ref whose element takes focus whenever `key` changes to something (an action's answer,
 * a search): a result that appears without a page change, or replaces the control that
 * caused it, is where a keyboard or screen-reader user should continue. The element needs
 * tabIndex={-1}. Nothing happens while `key` is null or undefined, nor, with
 * `afterFirst`, for the key the page was loaded with (a fresh page starts at its top).
 */
export function useFocusOnChange<T extends HTMLElement>(
  key: unknown,
  { afterFirst = false }: { afterFirst?: boolean } = {},
) {
  const ref = useRef<T>(null);
  const first = useRef<{ key: unknown } | null>(afterFirst ? { key } : null);
  useEffect(() => {
    if (first.current) {
      if (first.current.key === key) return;
      first.current = null;
    }
    if (key != null && !focusHeldByTyping()) ref.current?.focus();
  }, [key]);
  return ref;
}

/**
 * A field where the user is typing while an answer arrives (a search form rebuilt around
 * what they type, `KeptEdits`): focus that would move to the answer (its result heading, its
 * error summary) stays in that field instead, for this render. The answer is still announced
 * by its live region.
 */
let held: { element: HTMLElement; until: number } | null = null;

export function holdFocusForTyping(element: HTMLElement) {
  held = { element, until: performance.now() + 1000 };
}

export function focusHeldByTyping(): boolean {
  if (!held) return false;
  if (performance.now() > held.until || document.activeElement !== held.element) held = null;
  return held !== null;
}
