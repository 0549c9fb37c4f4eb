import type { z } from 'zod';
import { fieldProblems, problem } from './problem.server.ts';

const MAX_BODY = 64 * 1024;

/**
 * The body as JSON or form fields (at most 64 KiB of text), validated; a problem+json 400
 * (thrown) otherwise. The body is read to its end even when too large, so that the connection
 * stays usable for the client's next request.
 */
export async function parseBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.infer<S>> {
  return validated(request, schema, await readBody(request));
}

/** The body as JSON or form fields (at most 64 KiB of text), not yet validated. */
export async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get('Content-Type') ?? '';
  const form = type.includes('application/x-www-form-urlencoded');
  const multipart = type.includes('multipart/form-data');
  let raw: unknown;
  try {
    if (multipart) {
      raw = Object.fromEntries(
        [...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]),
      );
    } else {
      const text = await request.text();
      if (text.length > MAX_BODY)
        throw problem(request, 'validation', {
          errors: [{ field: '(body)', message: 'larger than 64 KiB' }],
        });
      if (form) raw = Object.fromEntries(new URLSearchParams(text));
      else raw = text === '' ? {} : JSON.parse(text);
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    throw problem(request, 'validation', {
      errors: [{ field: '(body)', message: multipart ? 'not valid form data' : 'not valid JSON' }],
    });
  }
  return raw;
}

export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  return validated(request, schema, Object.fromEntries(new URL(request.url).searchParams));
}

/** The value parsed by the schema, or a 400 listing every field problem (NUL ones included). */
export function validated<S extends z.ZodType>(
  request: Request,
  schema: S,
  raw: unknown,
): z.infer<S> {
  const nul = nulFields(raw).map((field) => ({
    field,
    message: 'must not contain the NUL character',
  }));
  const result = schema.safeParse(raw);
  if (!result.success || nul.length > 0)
    throw problem(request, 'validation', {
      errors: [...nul, ...(result.success ? [] : fieldProblems(result.error.issues))],
    });
  return result.data;
}

/**
 * The fields whose strings hold U+0000: PostgreSQL text cannot store it, so such input is refused
 * before it reaches the database. Iterative, so deeply nested input cannot overflow the stack.
 */
function nulFields(raw: unknown): string[] {
  type Node = { value: unknown; key: string; parent: Node | null };
  const fieldOf = (node: Node) => {
    const keys: string[] = [];
    for (let n: Node | null = node; n?.parent; n = n.parent) keys.unshift(n.key);
    return keys.join('.') || '(body)';
  };
  const fields: string[] = [];
  const stack: Node[] = [{ value: raw, key: '', parent: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      if (node.value.includes('\u0000')) fields.push(fieldOf(node));
    } else if (node.value !== null && typeof node.value === 'object') {
      for (const [key, value] of Object.entries(node.value))
        stack.push({ value, key, parent: node });
    }
  }
  return fields;
}

/**
 * Resource routes answer only their methods; anything else is a 405 problem. HEAD is GET
 * without the body (Remix runs the loader and drops it), so it is allowed wherever GET is.
 */
export function allowMethods(request: Request, methods: string[]): void {
  const allowed = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
  if (!allowed.includes(request.method.toUpperCase())) {
    throw problem(request, 'method_not_allowed', { headers: { Allow: allowed.join(', ') } });
  }
}
