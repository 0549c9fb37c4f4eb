import { useEffect, useRef } from 'react';

/**
 * A ref whose element takes focus whenever `key` changes to something (an action's answer,
 * a search): a result that appears without a page change, or replaces the control that
 * caused it, is where a keyboard or screen-reader user should continue. The element needs
 * tabIndex={-1}. Nothing happens while `key` is null or undefined.
 */
export function useFocusOnChange<T extends HTMLElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (key != null) ref.current?.focus();
  }, [key]);
  return ref;
}
