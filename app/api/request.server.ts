import type { z } from 'zod';
import { fieldProblems, problem } from './problem.server.ts';

/** The body as JSON or form fields, validated; a problem+json 400 (thrown) otherwise. */
export async function parseBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.infer<S>> {
  const type = request.headers.get('Content-Type') ?? '';
  let raw: unknown;
  try {
    if (
      type.includes('application/x-www-form-urlencoded') ||
      type.includes('multipart/form-data')
    ) {
      raw = Object.fromEntries(
        [...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]),
      );
    } else {
      const text = await request.text();
      if (text.length > 64 * 1024)
        throw problem(request, 'validation', { detail: 'body too large' });
      raw = text === '' ? {} : JSON.parse(text);
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    throw problem(request, 'validation', {
      errors: [{ field: '(body)', message: 'not valid JSON' }],
    });
  }
  const result = schema.safeParse(raw);
  if (!result.success)
    throw problem(request, 'validation', { errors: fieldProblems(result.error.issues) });
  return result.data;
}

export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const result = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!result.success)
    throw problem(request, 'validation', { errors: fieldProblems(result.error.issues) });
  return result.data;
}

/** Resource routes answer only their methods; anything else is a 405 problem. */
export function allowMethods(request: Request, methods: string[]): void {
  if (!methods.includes(request.method.toUpperCase())) {
    throw problem(request, 'method_not_allowed', { headers: { Allow: methods.join(', ') } });
  }
}
