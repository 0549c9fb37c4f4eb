/**
 * Every translation of both languages, for server rendering, emails and server code. The
 * browser never gets this module (`.server.ts`): a page carries only its own language and the
 * namespaces its routes declare (app/i18n/route-translations.tsx), and loads others as it
 * navigates (app/i18n/bundles.ts).
 */
import type { Locale, Namespace } from './locales.ts';
import jaCommon from '../locales/ja/common.ts';
import enCommon from '../locales/en/common.ts';
import jaHome from '../locales/ja/home.ts';
import enHome from '../locales/en/home.ts';
import jaIdentity from '../locales/ja/identity.ts';
import enIdentity from '../locales/en/identity.ts';
import jaApi from '../locales/ja/api.ts';
import enApi from '../locales/en/api.ts';
import jaNotices from '../locales/ja/notices.ts';
import enNotices from '../locales/en/notices.ts';
import jaAdmin from '../locales/ja/admin.ts';
import enAdmin from '../locales/en/admin.ts';
import jaAdminAudit from '../locales/ja/adminAudit.ts';
import enAdminAudit from '../locales/en/adminAudit.ts';
import jaAdminMail from '../locales/ja/adminMail.ts';
import enAdminMail from '../locales/en/adminMail.ts';
import jaAdminOperations from '../locales/ja/adminOperations.ts';
import enAdminOperations from '../locales/en/adminOperations.ts';
import jaAdminMaintenance from '../locales/ja/adminMaintenance.ts';
import enAdminMaintenance from '../locales/en/adminMaintenance.ts';
import jaAdminBrowserReports from '../locales/ja/adminBrowserReports.ts';
import enAdminBrowserReports from '../locales/en/adminBrowserReports.ts';
import jaAdminTargets from '../locales/ja/adminTargets.ts';
import enAdminTargets from '../locales/en/adminTargets.ts';
import jaAdminResidents from '../locales/ja/adminResidents.ts';
import enAdminResidents from '../locales/en/adminResidents.ts';
import jaAdminRenewals from '../locales/ja/adminRenewals.ts';
import enAdminRenewals from '../locales/en/adminRenewals.ts';
import jaAdminStaff from '../locales/ja/adminStaff.ts';
import enAdminStaff from '../locales/en/adminStaff.ts';
import jaAdminNotices from '../locales/ja/adminNotices.ts';
import enAdminNotices from '../locales/en/adminNotices.ts';
import jaAdminTargetExport from '../locales/ja/adminTargetExport.ts';
import enAdminTargetExport from '../locales/en/adminTargetExport.ts';
import jaAdminTargetImport from '../locales/ja/adminTargetImport.ts';
import enAdminTargetImport from '../locales/en/adminTargetImport.ts';
import jaTodos from '../locales/ja/todos.ts';
import enTodos from '../locales/en/todos.ts';
import jaInsurance from '../locales/ja/insurance.ts';
import enInsurance from '../locales/en/insurance.ts';
import jaDelivery from '../locales/ja/delivery.ts';
import enDelivery from '../locales/en/delivery.ts';
import jaPush from '../locales/ja/push.ts';
import enPush from '../locales/en/push.ts';
import jaSession from '../locales/ja/session.ts';
import enSession from '../locales/en/session.ts';
import jaAdminTargetLetters from '../locales/ja/adminTargetLetters.ts';
import enAdminTargetLetters from '../locales/en/adminTargetLetters.ts';
import jaReservations from '../locales/ja/reservations.ts';
import enReservations from '../locales/en/reservations.ts';
import jaAdminBookingContent from '../locales/ja/adminBookingContent.ts';
import enAdminBookingContent from '../locales/en/adminBookingContent.ts';
import jaBookingContent from '../locales/ja/bookingContent.ts';
import enBookingContent from '../locales/en/bookingContent.ts';
import jaAdminReservations from '../locales/ja/adminReservations.ts';
import enAdminReservations from '../locales/en/adminReservations.ts';
import jaBookingMail from '../locales/ja/bookingMail.ts';
import enBookingMail from '../locales/en/bookingMail.ts';
import jaReservationDays from '../locales/ja/reservationDays.ts';
import enReservationDays from '../locales/en/reservationDays.ts';
import jaBookingFlow from '../locales/ja/bookingFlow.ts';
import enBookingFlow from '../locales/en/bookingFlow.ts';
import jaWaitlist from '../locales/ja/waitlist.ts';
import enWaitlist from '../locales/en/waitlist.ts';
import jaWaitlistMail from '../locales/ja/waitlistMail.ts';
import enWaitlistMail from '../locales/en/waitlistMail.ts';
import jaOperationsMail from '../locales/ja/operationsMail.ts';
import enOperationsMail from '../locales/en/operationsMail.ts';
import jaPortalBooking from '../locales/ja/portalBooking.ts';
import enPortalBooking from '../locales/en/portalBooking.ts';
import jaCredentials from '../locales/ja/credentials.ts';
import enCredentials from '../locales/en/credentials.ts';

export const resources = {
  ja: {
    common: jaCommon,
    home: jaHome,
    identity: jaIdentity,
    notices: jaNotices,
    api: jaApi,
    admin: jaAdmin,
    adminAudit: jaAdminAudit,
    adminMail: jaAdminMail,
    adminOperations: jaAdminOperations,
    adminMaintenance: jaAdminMaintenance,
    adminBrowserReports: jaAdminBrowserReports,
    adminTargets: jaAdminTargets,
    adminResidents: jaAdminResidents,
    adminRenewals: jaAdminRenewals,
    adminStaff: jaAdminStaff,
    adminNotices: jaAdminNotices,
    adminTargetExport: jaAdminTargetExport,
    adminTargetImport: jaAdminTargetImport,
    todos: jaTodos,
    insurance: jaInsurance,
    delivery: jaDelivery,
    push: jaPush,
    session: jaSession,
    adminTargetLetters: jaAdminTargetLetters,
    reservations: jaReservations,
    adminBookingContent: jaAdminBookingContent,
    bookingContent: jaBookingContent,
    adminReservations: jaAdminReservations,
    bookingMail: jaBookingMail,
    reservationDays: jaReservationDays,
    bookingFlow: jaBookingFlow,
    waitlist: jaWaitlist,
    waitlistMail: jaWaitlistMail,
    operationsMail: jaOperationsMail,
    portalBooking: jaPortalBooking,
    credentials: jaCredentials,
  },
  en: {
    common: enCommon,
    home: enHome,
    identity: enIdentity,
    notices: enNotices,
    api: enApi,
    admin: enAdmin,
    adminAudit: enAdminAudit,
    adminMail: enAdminMail,
    adminOperations: enAdminOperations,
    adminMaintenance: enAdminMaintenance,
    adminBrowserReports: enAdminBrowserReports,
    adminTargets: enAdminTargets,
    adminResidents: enAdminResidents,
    adminRenewals: enAdminRenewals,
    adminStaff: enAdminStaff,
    adminNotices: enAdminNotices,
    adminTargetExport: enAdminTargetExport,
    adminTargetImport: enAdminTargetImport,
    todos: enTodos,
    insurance: enInsurance,
    delivery: enDelivery,
    push: enPush,
    session: enSession,
    adminTargetLetters: enAdminTargetLetters,
    reservations: enReservations,
    adminBookingContent: enAdminBookingContent,
    bookingContent: enBookingContent,
    adminReservations: enAdminReservations,
    bookingMail: enBookingMail,
    reservationDays: enReservationDays,
    bookingFlow: enBookingFlow,
    waitlist: enWaitlist,
    waitlistMail: enWaitlistMail,
    operationsMail: enOperationsMail,
    portalBooking: enPortalBooking,
    credentials: enCredentials,
  },
} as const satisfies Record<Locale, Record<Namespace, object>>;
