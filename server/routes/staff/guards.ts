import { requireStaff } from '../../session.js';

/**
 * Role guards of /api/staff. admin = everything; secretariat = everything but staff accounts
 * and activity/tariff/calendar editing; restauration = meal lists, pointage and attendance
 * exports only. The core functions check the role again (defence in depth).
 */
export const anyStaff = requireStaff();
export const desk = requireStaff('admin', 'secretariat');
export const adminOnly = requireStaff('admin');
