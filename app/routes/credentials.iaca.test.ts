import { X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.server.ts';
import { loaderArgs, routeContext } from '../../test/support/routes.ts';
import { loader as pemLoader } from './credentials.iaca[.]pem.ts';
import { loader as derLoader } from './credentials.iaca[.]der.ts';

// The publication reads only the issuer folder: no database is needed.
const context = {
  ...routeContext({} as Parameters<typeof routeContext>[0]),
  env: parseEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MADOGUCHI_PUBLIC_ORIGIN: 'http://localhost:3000',
    MADOGUCHI_DATA_DIR: mkdtempSync(join(tmpdir(), 'madoguchi-iaca-')),
  }),
};

describe('/credentials/iaca.pem and .der', () => {
  it('serve the same IACA certificate, cacheable, with an ETag', async () => {
    const pem = await pemLoader(loaderArgs(context, { path: '/credentials/iaca.pem' }));
    const der = await derLoader(loaderArgs(context, { path: '/credentials/iaca.der' }));
    expect(pem.status).toBe(200);
    expect(pem.headers.get('Content-Type')).toBe('application/x-pem-file');
    expect(der.headers.get('Content-Type')).toBe('application/pkix-cert');
    expect(pem.headers.get('Cache-Control')).toBe('public, max-age=86400');
    expect(der.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const fromPem = new X509Certificate(await pem.text());
    const fromDer = new X509Certificate(Buffer.from(await der.arrayBuffer()));
    expect(fromPem.raw.equals(fromDer.raw)).toBe(true);
    expect(fromPem.ca).toBe(true);
    expect(fromPem.subject).toContain('C=JP');
    expect(pem.headers.get('ETag')).toBe(der.headers.get('ETag'));

    const again = await derLoader(
      loaderArgs(context, {
        path: '/credentials/iaca.der',
        headers: { 'If-None-Match': der.headers.get('ETag')! },
      }),
    );
    expect(again.status).toBe(304);
  });
});
