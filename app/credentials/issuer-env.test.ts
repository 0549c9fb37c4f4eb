import { describe, expect, it } from 'vitest';
import { parseEnv } from '../env.server.ts';
import { issuerSettings } from './issuer-keys.server.ts';

describe('issuer settings from the environment', () => {
  it('defaults to <data dir>/issuer, the demo city and 90 days', () => {
    const settings = issuerSettings(parseEnv({ MADOGUCHI_DATA_DIR: '/srv/madoguchi' }));
    expect(settings.dir).toBe('/srv/madoguchi/issuer');
    expect(settings.identity).toEqual({
      country: 'JP',
      authorityName: '三浦市',
      url: 'http://localhost:3000',
    });
    expect(settings.renewWhenDaysLeft).toBe(97);
    expect(settings.fromEnv).toEqual({});
  });

  it('reads PEM texts with escaped line breaks and refuses what is not PEM', () => {
    const pem = '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----';
    const env = parseEnv({
      MADOGUCHI_ISSUER_DIR: '/keys',
      MADOGUCHI_ISSUER_NAME: '横須賀市',
      MADOGUCHI_IACA_CERT: pem,
      MADOGUCHI_MDOC_MAX_DAYS: '30',
    });
    const settings = issuerSettings(env);
    expect(settings.dir).toBe('/keys');
    expect(settings.fromEnv.iacaCertPem).toBe(
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    );
    expect(settings.renewWhenDaysLeft).toBe(37);
    expect(() => parseEnv({ MADOGUCHI_DS_KEY: 'secret' })).toThrow(/MADOGUCHI_DS_KEY/);
    expect(() => parseEnv({ MADOGUCHI_MDOC_MAX_DAYS: '400' })).toThrow(/MADOGUCHI_MDOC_MAX_DAYS/);
  });
});
