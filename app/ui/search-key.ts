import { useRef } from 'react';
import { useLocation } from '@remix-run/react';

/**
 * A key for a GET search form that changes with every search sent, also the same search sent
 * again (its error summary then takes focus again, decision 0070), but not when the page only
 * moves to a fragment: an error summary's link to a field (`#…`) is a navigation too, and a
 * form rebuilt by it threw away what the clerk had just typed into that field.
 */
export function useSearchKey(): string {
  const { key, search, hash } = useLocation();
  const last = useRef({ key, search });
  if (key !== last.current.key && !(hash !== '' && search === last.current.search))
    last.current = { key, search };
  return last.current.key;
}
