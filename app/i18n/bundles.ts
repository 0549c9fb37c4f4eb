import type { Locale, Namespace } from './locales.ts';

type Tree = { readonly [key: string]: string | Tree };
type BundleLoader = () => Promise<{ default: Tree }>;

/**
 * Each language's namespace as a chunk of its own, fetched by the browser when a page it
 * navigates to needs it: first-party, named by the hash of its content, cached for good like
 * every file under /build/. Only dynamic imports: nothing here puts a translation into the
 * code a page loads at start (bench:bytes checks).
 */
export const bundleLoaders: Record<Locale, Record<Namespace, BundleLoader>> = {
  ja: {
    common: () => import('../locales/ja/common.ts'),
    home: () => import('../locales/ja/home.ts'),
    identity: () => import('../locales/ja/identity.ts'),
    notices: () => import('../locales/ja/notices.ts'),
    api: () => import('../locales/ja/api.ts'),
    admin: () => import('../locales/ja/admin.ts'),
    adminAudit: () => import('../locales/ja/adminAudit.ts'),
    adminMail: () => import('../locales/ja/adminMail.ts'),
    adminTargets: () => import('../locales/ja/adminTargets.ts'),
    adminResidents: () => import('../locales/ja/adminResidents.ts'),
    adminRenewals: () => import('../locales/ja/adminRenewals.ts'),
    adminStaff: () => import('../locales/ja/adminStaff.ts'),
    adminNotices: () => import('../locales/ja/adminNotices.ts'),
    adminTargetExport: () => import('../locales/ja/adminTargetExport.ts'),
    adminTargetImport: () => import('../locales/ja/adminTargetImport.ts'),
    todos: () => import('../locales/ja/todos.ts'),
    insurance: () => import('../locales/ja/insurance.ts'),
    delivery: () => import('../locales/ja/delivery.ts'),
    push: () => import('../locales/ja/push.ts'),
    session: () => import('../locales/ja/session.ts'),
    adminTargetLetters: () => import('../locales/ja/adminTargetLetters.ts'),
    reservations: () => import('../locales/ja/reservations.ts'),
    adminBookingContent: () => import('../locales/ja/adminBookingContent.ts'),
    bookingContent: () => import('../locales/ja/bookingContent.ts'),
    adminReservations: () => import('../locales/ja/adminReservations.ts'),
    bookingMail: () => import('../locales/ja/bookingMail.ts'),
    reservationDays: () => import('../locales/ja/reservationDays.ts'),
    bookingFlow: () => import('../locales/ja/bookingFlow.ts'),
    waitlist: () => import('../locales/ja/waitlist.ts'),
    waitlistMail: () => import('../locales/ja/waitlistMail.ts'),
    portalBooking: () => import('../locales/ja/portalBooking.ts'),
  },
  en: {
    common: () => import('../locales/en/common.ts'),
    home: () => import('../locales/en/home.ts'),
    identity: () => import('../locales/en/identity.ts'),
    notices: () => import('../locales/en/notices.ts'),
    api: () => import('../locales/en/api.ts'),
    admin: () => import('../locales/en/admin.ts'),
    adminAudit: () => import('../locales/en/adminAudit.ts'),
    adminMail: () => import('../locales/en/adminMail.ts'),
    adminTargets: () => import('../locales/en/adminTargets.ts'),
    adminResidents: () => import('../locales/en/adminResidents.ts'),
    adminRenewals: () => import('../locales/en/adminRenewals.ts'),
    adminStaff: () => import('../locales/en/adminStaff.ts'),
    adminNotices: () => import('../locales/en/adminNotices.ts'),
    adminTargetExport: () => import('../locales/en/adminTargetExport.ts'),
    adminTargetImport: () => import('../locales/en/adminTargetImport.ts'),
    todos: () => import('../locales/en/todos.ts'),
    insurance: () => import('../locales/en/insurance.ts'),
    delivery: () => import('../locales/en/delivery.ts'),
    push: () => import('../locales/en/push.ts'),
    session: () => import('../locales/en/session.ts'),
    adminTargetLetters: () => import('../locales/en/adminTargetLetters.ts'),
    reservations: () => import('../locales/en/reservations.ts'),
    adminBookingContent: () => import('../locales/en/adminBookingContent.ts'),
    bookingContent: () => import('../locales/en/bookingContent.ts'),
    adminReservations: () => import('../locales/en/adminReservations.ts'),
    bookingMail: () => import('../locales/en/bookingMail.ts'),
    reservationDays: () => import('../locales/en/reservationDays.ts'),
    bookingFlow: () => import('../locales/en/bookingFlow.ts'),
    waitlist: () => import('../locales/en/waitlist.ts'),
    waitlistMail: () => import('../locales/en/waitlistMail.ts'),
    portalBooking: () => import('../locales/en/portalBooking.ts'),
  },
};
