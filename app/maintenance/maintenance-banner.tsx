import { useTranslation } from '../i18n/react.tsx';
import type { MaintenanceBannerData } from './maintenance-banner.server.ts';

/** The notice at the top of every page before (and, for staff, during) a maintenance window. */
export function MaintenanceBanner({ banner }: { banner: NonNullable<MaintenanceBannerData> }) {
  const { t } = useTranslation();
  return (
    <section className="acting-banner" aria-labelledby="maintenance-banner-text">
      <div className="acting-banner__inner">
        <p>
          <strong id="maintenance-banner-text">
            {t(banner.now ? 'maintenance.bannerNow' : 'maintenance.banner', {
              range: banner.range,
            })}
          </strong>
          {banner.message ? <> {banner.message}</> : null}
        </p>
      </div>
    </section>
  );
}
