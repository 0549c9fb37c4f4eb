import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.server.ts';

describe('parseEnv', () => {
  it('runs on embedded defaults with nothing set', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.embeddedDatabase).toBe(true);
    expect(env.seedDemo).toBe(true);
    expect(env.MADOGUCHI_DATA_DIR).toBe('.data');
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.publicOrigin).toBe('http://localhost:3000');
  });

  it('uses an external database without seeding unless asked', () => {
    const env = parseEnv({ DATABASE_URL: 'postgres://u:p@db.example:5432/m', PORT: '8080' });
    expect(env.embeddedDatabase).toBe(false);
    expect(env.seedDemo).toBe(false);
    expect(
      parseEnv({ DATABASE_URL: 'postgres://u@h/m', MADOGUCHI_SEED_DEMO: 'true' }).seedDemo,
    ).toBe(true);
  });

  it('sets the log level per environment', () => {
    expect(parseEnv({ NODE_ENV: 'development' }).LOG_LEVEL).toBe('debug');
    expect(parseEnv({ NODE_ENV: 'test' }).LOG_LEVEL).toBe('warn');
    expect(parseEnv({ NODE_ENV: 'production', LOG_LEVEL: 'error' }).LOG_LEVEL).toBe('error');
  });

  it('parses the push settings and the web process count with the rest, once', () => {
    const env = parseEnv({
      PUSH_WINDOW_HOURS: '0',
      PUSH_QUIET_HOURS: 'off',
      MADOGUCHI_WEB_WORKERS: '2',
    });
    expect(env.push).toMatchObject({ windowHours: 0, quiet: null, batchSize: 1000 });
    expect(env.MADOGUCHI_WEB_WORKERS).toBe(2);
    expect(() => parseEnv({ PUSH_WINDOW_HOURS: 'a week' })).toThrow(
      /Invalid environment:[\s\S]*PUSH_WINDOW_HOURS/,
    );
    expect(() => parseEnv({ VAPID_PUBLIC_KEY: 'x' })).toThrow(/Invalid environment: VAPID/);
    expect(() => parseEnv({ MADOGUCHI_WEB_WORKERS: '0' })).toThrow(/MADOGUCHI_WEB_WORKERS/);
  });

  it('names every invalid variable', () => {
    expect(() => parseEnv({ PORT: 'eighty', MADOGUCHI_ROLE: 'boss' })).toThrow(
      /PORT[\s\S]*MADOGUCHI_ROLE/,
    );
  });
});

describe('parseEnv with blank variables', () => {
  it('treats an empty value as unset', () => {
    const env = parseEnv({ DATABASE_URL: '', PORT: '' });
    expect(env.embeddedDatabase).toBe(true);
    expect(env.PORT).toBe(3000);
  });
});
