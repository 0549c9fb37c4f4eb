import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect, type APIRequestContext, type APIResponse } from '@playwright/test';

/**
 * The served OpenAPI document as a test oracle: it must be a valid OpenAPI 3.1 document, and
 * every response the tests see is checked against it (documented status, media type, headers,
 * body schema). Schemas are compiled by ajv straight out of the document, so "$ref"s resolve
 * the way any OpenAPI tool resolves them (against the document, into components).
 */
export type Method = 'get' | 'post' | 'patch' | 'delete' | 'put';
type JsonSchema = Record<string, unknown>;
type MediaType = { schema?: JsonSchema };
type ResponseObject = {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, MediaType>;
};
type Parameter = { name: string; in: string; required?: boolean; schema: JsonSchema };
export type OperationObject = {
  operationId?: string;
  summary: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
};
export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description?: string };
  security?: Record<string, string[]>[];
  paths: Record<string, Partial<Record<Method, OperationObject>>>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    headers?: Record<string, HeaderObject>;
    responses?: Record<string, ResponseObject>;
    securitySchemes?: Record<string, Record<string, unknown>>;
  };
};
type HeaderObject = { description?: string; required?: boolean; schema?: JsonSchema };
export type Operation = { path: string; method: Method; op: OperationObject };

const BASE = 'https://madoguchi.invalid/api/v1/openapi.json';
const METHODS: Method[] = ['get', 'post', 'patch', 'delete', 'put'];

// ajv-formats is CommonJS: its default export arrives wrapped or not depending on the loader.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule })
  .default ?? addFormatsModule) as typeof addFormatsModule;

/** JSON Pointer escaping of one reference token (RFC 6901). */
const pointer = (...tokens: string[]) =>
  tokens.map((t) => t.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export async function validateOpenApiDocument(doc: unknown) {
  const validator = new Validator();
  const result = await validator.validate(doc as Parameters<Validator['validate']>[0]);
  // resolveRefs throws on a $ref that points nowhere.
  if (result.valid) validator.resolveRefs();
  return result;
}

export class Contract {
  readonly doc: OpenApiDocument;
  readonly operations: Operation[];
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument) {
    this.doc = doc;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(doc as object, BASE);
    this.operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      METHODS.filter((m) => methods[m]).map((method) => ({
        path,
        method,
        op: methods[method] as OperationObject,
      })),
    );
  }

  static async load(request: APIRequestContext): Promise<Contract> {
    const response = await request.get('/api/v1/openapi.json');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/json');
    return new Contract((await response.json()) as OpenApiDocument);
  }

  operation(path: string, method: Method): OperationObject {
    const op = this.doc.paths[path]?.[method];
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the OpenAPI document`);
    return op;
  }

  /** A validator for the schema at this JSON Pointer of the document. */
  validator(...tokens: string[]): ValidateFunction {
    const ref = `${BASE}#/${pointer(...tokens)}`;
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    return validate;
  }

  /** A validator for a schema without references (e.g. one property's schema). */
  compileStandalone(schema: JsonSchema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** Whether the operation needs credentials (its own `security`, else the document's). */
  secured(op: OperationObject): boolean {
    return (op.security ?? this.doc.security ?? []).length > 0;
  }

  /** A header object, its $ref (components.headers) resolved. */
  header(header: unknown): HeaderObject {
    const ref = (header as { $ref?: string }).$ref;
    if (typeof ref !== 'string') return header as HeaderObject;
    const target = this.doc.components?.headers?.[ref.replace('#/components/headers/', '')];
    if (!target) throw new Error(`dangling $ref ${ref}`);
    return target;
  }

  /**
   * The problem types a documented problem response lists (the `type` enum of its schema):
   * the only ones the operation may answer with at that status.
   */
  problemTypes(response: ResponseObject | undefined): string[] | null {
    const schema = response?.content?.['application/problem+json']?.schema as
      { allOf?: { properties?: { type?: { enum?: string[] } } }[] } | undefined;
    return schema?.allOf?.find((s) => s.properties?.type?.enum)?.properties?.type?.enum ?? null;
  }

  /**
   * Checks a response's headers against the documented ones: each is sent (if required) and
   * its value fits the header's schema.
   */
  checkHeaders(
    documented: Record<string, unknown> | undefined,
    headers: Record<string, string>,
    where: string,
  ) {
    for (const [name, header] of Object.entries(documented ?? {})) {
      const { required, schema } = this.header(header);
      const value = headers[name.toLowerCase()];
      if (required) expect(value, `${where}: header ${name} is sent`).toBeTruthy();
      if (value === undefined || !schema) continue;
      const typed = schema.type === 'integer' && /^[0-9]+$/.test(value) ? Number(value) : value;
      const validate = this.compileStandalone(schema);
      expect(validate(typed) ? [] : validate.errors, `${where}: header ${name}: ${value}`).toEqual(
        [],
      );
    }
  }

  /** The problem+json schema (every documented error response shares it). */
  get problem(): ValidateFunction {
    return this.validator('components', 'schemas', 'Problem');
  }

  /** The request body's schema for a media type, if the operation takes a body. */
  requestBody(path: string, method: Method, mediaType = 'application/json') {
    const op = this.operation(path, method);
    if (!op.requestBody?.content[mediaType]) return undefined;
    return this.validator('paths', path, method, 'requestBody', 'content', mediaType, 'schema');
  }

  /** The resolved (dereferenced one level) JSON Schema of a request body, for generators. */
  requestBodySchema(path: string, method: Method, mediaType = 'application/json') {
    const schema = this.operation(path, method).requestBody?.content[mediaType]?.schema;
    return schema ? this.deref(schema) : undefined;
  }

  deref(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/components/schemas/', '');
    const target = this.doc.components?.schemas?.[name];
    if (!target) throw new Error(`dangling $ref ${ref}`);
    return this.deref(target);
  }

  /**
   * Checks a response against the document: its status is documented for the operation, its
   * media type is one the document names for that status (or there is no body where none is
   * documented), promised headers are present, and the body matches the schema. Returns the
   * parsed body (or null). Describes the failure with the request that caused it.
   */
  async check(response: APIResponse, path: string, method: Method, context = ''): Promise<unknown> {
    const op = this.operation(path, method);
    const status = String(response.status());
    const where = `${method.toUpperCase()} ${path} → ${status} ${context}`;
    const text = await response.text();
    const documented = op.responses[status];
    expect(documented, `${where}: status not documented; body ${text.slice(0, 500)}`).toBeDefined();
    const headers = response.headers();
    this.checkHeaders(documented?.headers, headers, where);
    const content = documented?.content;
    if (!content) {
      expect(text, `${where}: no body is documented`).toBe('');
      return null;
    }
    const mediaType = (headers['content-type'] ?? '').split(';')[0]!.trim();
    expect(Object.keys(content), `${where}: content-type ${headers['content-type']}`).toContain(
      mediaType,
    );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${where}: body is not JSON: ${text.slice(0, 500)}`);
    }
    const validate = this.validator(
      'paths',
      path,
      method,
      'responses',
      status,
      'content',
      mediaType,
      'schema',
    );
    expect(
      validate(body) ? [] : validate.errors,
      `${where}: body does not match the document: ${text.slice(0, 500)}`,
    ).toEqual([]);
    // Every JSON answer says its language, documented or not.
    expect(headers['content-language'], `${where}: Content-Language`).toMatch(/^(ja|en)$/);
    if (mediaType === 'application/problem+json')
      expect(
        this.problemTypes(documented),
        `${where}: the operation lists the problem type it answered with`,
      ).toContain((body as { type?: unknown }).type);
    return body;
  }
}

/*
 * Request values generated from the document's JSON Schemas with fast-check: valid ones, and
 * one-mutation-away invalid ones that say which field they broke.
 */
type Leaf = { path: string[]; schema: JsonSchema };

const typeOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** Any JSON value whose JSON type differs from the schema's (so it is certainly invalid). */
function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> {
  const expected =
    typeof schema.type === 'string'
      ? schema.type
      : 'const' in schema
        ? typeOf(schema.const)
        : Array.isArray(schema.enum)
          ? typeOf(schema.enum[0])
          : null;
  const expectedJson = expected === 'integer' ? 'number' : expected;
  return fc
    .oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(null, true, 0, -1, 1e308, [], {}, [''], { '': '' }),
    )
    .filter((v) => typeOf(v) !== expectedJson);
}

export class SchemaArbitraries {
  private readonly contract: Contract;
  constructor(contract: Contract) {
    this.contract = contract;
  }

  private accepts(schema: JsonSchema) {
    return this.contract.compileStandalone(schema);
  }

  /** Values valid under `schema` (every generated value is checked by ajv). */
  valid(input: JsonSchema): fc.Arbitrary<unknown> {
    const schema = this.contract.deref(input);
    const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
    if (branches) return fc.oneof(...branches.map((b) => this.valid(b)));
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    switch (schema.type) {
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
        const model = Object.fromEntries(
          Object.entries(properties).map(([key, s]) => [key, this.valid(s)]),
        );
        return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
      }
      case 'string': {
        const min = (schema.minLength as number | undefined) ?? 0;
        const max = (schema.maxLength as number | undefined) ?? min + 40;
        const check = this.accepts(schema);
        let strings: fc.Arbitrary<string>;
        if (schema.format === 'uri')
          strings = fc.webUrl({ validSchemes: ['https'], withQueryParameters: true });
        else if (typeof schema.pattern === 'string')
          strings = fc.stringMatching(new RegExp(schema.pattern as string));
        else strings = fc.string({ minLength: min, maxLength: Math.min(max, min + 60) });
        return strings.filter((s) => check(s));
      }
      case 'integer':
        return fc.integer({ min: 0, max: 1000 });
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      default:
        return fc.jsonValue();
    }
  }

  /** Dotted paths of the fields whose schema has `format` (in any branch). */
  fieldsWithFormat(input: JsonSchema, format: string): string[] {
    const schema = this.contract.deref(input);
    const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
    if (branches) return branches.flatMap((b) => this.fieldsWithFormat(b, format));
    return this.leaves(schema)
      .filter((l) => l.schema.format === format)
      .map((l) => l.path.join('.'));
  }

  /** The leaves (non-object properties) of an object schema, with their paths. */
  private leaves(schema: JsonSchema, path: string[] = []): Leaf[] {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    return Object.entries(properties).flatMap(([key, s]) => {
      const resolved = this.contract.deref(s);
      const here = [...path, key];
      return resolved.type === 'object'
        ? [{ path: here, schema: resolved }, ...this.leaves(resolved, here)]
        : [{ path: here, schema: resolved }];
    });
  }

  /**
   * A valid body with exactly one thing broken: a required field missing, a field of the wrong
   * JSON type, a string past its maxLength (up to well past the body limit) or off its pattern,
   * unicode (NUL, astral, RTL, lone code points) in a string field, or an unknown field.
   * `field` is the dotted path of the broken field (null for an added unknown field).
   */
  mutated(input: JsonSchema): fc.Arbitrary<{ body: unknown; field: string | null; how: string }> {
    const schema = this.contract.deref(input);
    const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
    if (branches) return fc.oneof(...branches.map((b) => this.mutated(b)));
    const leaves = this.leaves(schema);
    const options: fc.Arbitrary<{ body: unknown; field: string | null; how: string }>[] = [];
    const at = (
      body: unknown,
      path: string[],
      change: (parent: Record<string, unknown>) => void,
    ) => {
      const copy = structuredClone(body) as Record<string, unknown>;
      let parent = copy;
      for (const key of path.slice(0, -1)) {
        if (typeof parent[key] !== 'object' || parent[key] === null) parent[key] = {};
        parent = parent[key] as Record<string, unknown>;
      }
      change(parent);
      return copy;
    };
    const base = this.valid(schema);
    for (const leaf of leaves) {
      const key = leaf.path.at(-1)!;
      const field = leaf.path.join('.');
      const parentSchema =
        leaf.path.length === 1
          ? schema
          : leaves.find((l) => l.path.join('.') === leaf.path.slice(0, -1).join('.'))!.schema;
      if (((parentSchema.required ?? []) as string[]).includes(key))
        options.push(
          base.map((b) => ({
            body: at(b, leaf.path, (p) => delete p[key]),
            field,
            how: 'missing',
          })),
        );
      options.push(
        fc.tuple(base, wrongType(leaf.schema)).map(([b, v]) => ({
          body: at(b, leaf.path, (p) => (p[key] = v)),
          field,
          how: 'wrong type',
        })),
      );
      if (leaf.schema.type === 'string' || 'const' in leaf.schema || leaf.schema.enum) {
        const max = (leaf.schema.maxLength as number | undefined) ?? 200;
        options.push(
          fc
            .tuple(
              base,
              fc.oneof(
                fc.integer({ min: max + 1, max: max + 50 }),
                fc.constantFrom(max * 10, 70_000),
              ),
              fc.constantFrom('a', 'あ', '0', '\u{1F600}'),
            )
            .map(([b, n, c]) => ({
              body: at(b, leaf.path, (p) => (p[key] = c.repeat(n))),
              field,
              how: 'too long',
            })),
          fc.tuple(base, fc.string({ unit: 'binary', maxLength: 80 })).map(([b, v]) => ({
            body: at(b, leaf.path, (p) => (p[key] = v)),
            field,
            how: 'unicode',
          })),
          // Special characters inside an otherwise valid value (so length rules still hold).
          fc
            .tuple(
              base,
              fc.constantFrom('\u0000', '\u202e', '\u{10FFFF}', '\ufeff', '\ud800', ' ', '%00'),
              fc.nat(),
            )
            .map(([b, c, n]) => ({
              body: at(b, leaf.path, (p) => {
                const v = typeof p[key] === 'string' ? (p[key] as string) : '';
                const i = n % (v.length + 1);
                p[key] = v.slice(0, i) + c + v.slice(i + c.length);
              }),
              field,
              how: 'special characters',
            })),
        );
      }
    }
    options.push(
      fc.tuple(base, fc.string({ minLength: 1, maxLength: 20 })).map(([b, k]) => ({
        body: { ...(b as object), [`x-${k}`]: k },
        field: null,
        how: 'unknown field',
      })),
    );
    return fc.oneof(...options);
  }
}
