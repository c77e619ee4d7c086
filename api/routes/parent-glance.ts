import { defineRoutes, json, parent } from '../contract.js';
import { alertThresholdSchema, monthQuerySchema, planningQuerySchema, type AlertThresholdResponse, type MonthResponse, type WeekGlanceResponse } from '../parent.js';

/** The week and the month at a glance: "Mon mois", the summary's refresh, the alert threshold. */
export const parentGlanceRoutes = defineRoutes({
  'parent.month': { method: 'GET', path: '/api/parent/month', access: parent('family.read'), query: monthQuerySchema, reply: json<MonthResponse>() },
  'parent.weekGlance': { method: 'GET', path: '/api/parent/planning/glance', access: parent('family.read'), query: planningQuerySchema, reply: json<WeekGlanceResponse>() },
  'parent.alertThreshold': { method: 'PUT', path: '/api/parent/alert-threshold', access: parent('family.edit'), body: alertThresholdSchema, reply: json<AlertThresholdResponse>() },
});
