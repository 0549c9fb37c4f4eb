/**
 * The push fan-outs on the delivery dashboard: one row per campaign with a progress bar that
 * also says its figures in words, and pause / resume / cancel for staff who publish notices.
 * Browser-safe: no server imports.
 */
import { Form, Link, useParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from '../i18n/react.tsx';
import { userText } from '../ui/user-text.ts';

export type FanoutView = {
  id: string;
  noticeId: string;
  title: string;
  titleLang: 'ja' | 'en';
  scope: 'broadcast' | 'targeted';
  state: 'running' | 'paused' | 'cancelled' | 'done';
  devices: string;
  sent: string;
  failed: string;
  deactivated: string;
  remaining: string;
  /** 0–100, for the bar. */
  percent: number;
  percentText: string;
  startedAt: string;
  expectedFinish: string | null;
};

export function FanoutSection({
  fanouts,
  canControl,
  confirmingCancel,
}: {
  fanouts: FanoutView[];
  canControl: boolean;
  confirmingCancel: string | null;
}) {
  const { t } = useTranslation('push');
  return (
    <section aria-labelledby="fanouts-heading" className="delivery-results">
      <h2 id="fanouts-heading">{t('fanout.heading')}</h2>
      <p>{t('fanout.lead')}</p>
      {fanouts.length === 0 ? (
        <p>{t('fanout.none')}</p>
      ) : (
        <ul className="fanout-list">
          {fanouts.map((fanout) => (
            <Fanout
              key={fanout.id}
              fanout={fanout}
              canControl={canControl}
              confirming={confirmingCancel === fanout.id}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function Fanout({
  fanout,
  canControl,
  confirming,
}: {
  fanout: FanoutView;
  canControl: boolean;
  confirming: boolean;
}) {
  const { t } = useTranslation('push');
  const { lang } = useParams();
  const labelId = `fanout-${fanout.id}`;
  const question = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);
  const live = fanout.state === 'running' || fanout.state === 'paused';
  return (
    <li className="card fanout">
      <h3 id={labelId}>
        <Link to={`/${lang}/admin/notices/${fanout.noticeId}`}>
          <span lang={fanout.titleLang === lang ? undefined : fanout.titleLang}>
            {userText(fanout.title)}
          </span>
        </Link>
      </h3>
      <p>
        <strong>{t(`fanout.state.${fanout.state}`)}</strong>
        {' · '}
        {t(`fanout.scope.${fanout.scope}`)}
        {' · '}
        {t('fanout.started', { at: fanout.startedAt })}
      </p>
      <p className="fanout__bar">
        <label htmlFor={`${labelId}-bar`}>{t('fanout.progress')}</label>
        <progress
          id={`${labelId}-bar`}
          max={100}
          value={fanout.percent}
          aria-valuetext={t('fanout.handled', {
            percent: fanout.percentText,
            remaining: fanout.remaining,
          })}
        >
          {fanout.percentText}
        </progress>
        <span aria-hidden="true"> {fanout.percentText}</span>
      </p>
      <dl className="fanout__figures">
        <div>
          <dt>{t('fanout.devices')}</dt>
          <dd>{fanout.devices}</dd>
        </div>
        <div>
          <dt>{t('fanout.sent')}</dt>
          <dd>{fanout.sent}</dd>
        </div>
        <div>
          <dt>{t('fanout.failed')}</dt>
          <dd>{fanout.failed}</dd>
        </div>
        <div>
          <dt>{t('fanout.deactivated')}</dt>
          <dd>{fanout.deactivated}</dd>
        </div>
        <div>
          <dt>{t('fanout.remaining')}</dt>
          <dd>{fanout.remaining}</dd>
        </div>
        <div>
          <dt>{fanout.state === 'done' ? t('fanout.finished') : t('fanout.expectedFinish')}</dt>
          <dd>{fanout.expectedFinish ?? '—'}</dd>
        </div>
      </dl>
      {canControl && live ? (
        confirming ? (
          <div className="card" role="group" aria-labelledby={`${labelId}-confirm`}>
            <h4 id={`${labelId}-confirm`} tabIndex={-1} ref={question}>
              {t('fanout.confirmCancel')}
            </h4>
            <p>{t('fanout.confirmCancelHint')}</p>
            <Form method="post" className="button-row">
              <input type="hidden" name="campaignId" value={fanout.id} />
              <button type="submit" name="intent" value="cancel" className="button button--primary">
                {t('fanout.cancelNow')}
              </button>
              <Link to="." className="button button--secondary">
                {t('fanout.keep')}
              </Link>
            </Form>
          </div>
        ) : (
          <Form method="post" className="button-row">
            <input type="hidden" name="campaignId" value={fanout.id} />
            {fanout.state === 'running' ? (
              <button
                type="submit"
                name="intent"
                value="pause"
                className="button button--secondary"
              >
                {t('fanout.pause')}
              </button>
            ) : (
              <button type="submit" name="intent" value="resume" className="button button--primary">
                {t('fanout.resume')}
              </button>
            )}
            <Link to={`?cancel=${fanout.id}#${labelId}`} className="button button--secondary">
              {t('fanout.cancel')}
            </Link>
          </Form>
        )
      ) : null}
    </li>
  );
}
