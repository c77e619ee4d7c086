import { changePasswordSchema, loginSchema, passwordResetConfirmSchema, passwordResetRequestSchema, type MeResponse } from '../auth.js';
import { anySession, defineRoutes, json, publicRoute } from '../contract.js';

/** Sign-in, sign-out, the session's person and passwords (/api/auth), for both clients. */
export const authRoutes = defineRoutes({
  'auth.parentLogin': { method: 'POST', path: '/api/auth/parent/login', access: publicRoute, body: loginSchema, reply: json<MeResponse>() },
  'auth.staffLogin': { method: 'POST', path: '/api/auth/staff/login', access: publicRoute, body: loginSchema, reply: json<MeResponse>() },
  /** Answers ok with or without a session, and clears the cookie. */
  'auth.logout': { method: 'POST', path: '/api/auth/logout', access: publicRoute, reply: json<{ ok: true }>() },
  'auth.me': { method: 'GET', path: '/api/auth/me', access: anySession, reply: json<MeResponse>() },
  /** Also the first sign-in's forced change, hence any session. */
  'auth.changePassword': { method: 'POST', path: '/api/auth/password', access: anySession, body: changePasswordSchema, reply: json<MeResponse>() },
  /** The same answer whether or not an account matched. */
  'auth.requestPasswordReset': {
    method: 'POST',
    path: '/api/auth/password-reset/request',
    access: publicRoute,
    body: passwordResetRequestSchema,
    reply: json<{ ok: true; message: string }>(),
  },
  'auth.confirmPasswordReset': {
    method: 'POST',
    path: '/api/auth/password-reset/confirm',
    access: publicRoute,
    body: passwordResetConfirmSchema,
    reply: json<{ ok: true; message: string }>(),
  },
});
