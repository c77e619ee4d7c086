import { defineRoutes, json, staff } from '../contract.js';
import { bookingHorizonSchema, type BookingHorizonAdminView } from '../glance.js';

/** The mairie's booking horizon, beside the activities: the desk reads it, the admin sets it. */
export const staffBookingHorizonRoutes = defineRoutes({
  'staff.bookingHorizon': { method: 'GET', path: '/api/staff/booking-horizon', access: staff('service.read'), reply: json<BookingHorizonAdminView>() },
  'staff.setBookingHorizon': {
    method: 'PUT',
    path: '/api/staff/booking-horizon',
    access: staff('activities.manage'),
    body: bookingHorizonSchema,
    reply: json<BookingHorizonAdminView>(),
  },
});
