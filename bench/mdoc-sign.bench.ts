/**
 * npm run bench:mdoc-sign — how many My Number card mdocs one process signs per second:
 * resolving the configuration's elements, salting and digesting each, the MSO, the ES256
 * COSE_Sign1 (app/credentials/mdoc-issue.server.ts), each for a new device key. No database,
 * no queue: the ceiling the issuance jobs (issue 13) work under.
 *
 * BENCH_SECONDS (default 5) of signing after a second of warm-up. The issuer keys are made in
 * a temporary folder, deleted at the end.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIssuerKeys } from '../app/credentials/issuer-keys.server.ts';
import { myNumberCard } from '../app/credentials/doctypes.ts';
import { issueMdoc } from '../app/credentials/mdoc-issue.server.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-issuer-'));
try {
  const keys = await loadIssuerKeys({
    dir,
    identity: { country: 'JP', authorityName: '三浦市', url: 'https://madoguchi.example.jp' },
    fromEnv: {},
    renewWhenDaysLeft: 97,
  });
  // Device keys are the app's work, not the issuer's: made beforehand.
  const devices = Array.from({ length: 256 }, () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }),
  );
  let n = 0;
  let bytes = 0;
  const signOne = () => {
    const issued = issueMdoc({
      config: myNumberCard,
      subject: {
        resident: {
          name: '\u{20BB7}田\u3000正和',
          nameKana: 'ヨシダ\u3000マサカズ',
          nameLatin: null,
          birthDate: '1980-05-17',
          sex: 'male',
          address: '神奈川県三浦市城山町1番1号',
          municipalityName: '三浦市',
        },
        card: { issuedOn: '2024-04-01', expiresOn: '2034-05-17' },
      },
      devicePublicKey: devices[n % devices.length]!,
      status: { idx: n, uri: 'https://madoguchi.example.jp/credentials/status/1' },
      signer: keys.current,
      issuer: keys.identity,
      maxValidityDays: 90,
    });
    bytes += issued.issuerSigned.byteLength;
    n++;
  };
  const run = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end) signOne();
  };
  run(1000);
  n = 0;
  bytes = 0;
  const started = performance.now();
  run(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `bench:mdoc-sign  ${Math.round(n / elapsed)} mdocs/s in one process ` +
      `(${n} in ${elapsed.toFixed(1)} s, ${Math.round(bytes / n)} bytes each, ` +
      `${((elapsed / n) * 1000).toFixed(3)} ms per mdoc)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
