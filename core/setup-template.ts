import type { ActivityTemplate, SetupTemplate, TemplateCode } from '../api/setup.js';

/**
 * The activities a commune starts from at its setup: the four services of the guide, with the
 * usual times, deadlines and one price each (prices by quotient familial are added afterwards in
 * "Activités et tarifs"). Each names the wallet it is paid from; the setup creates only the
 * wallets its ticked activities need.
 */
export interface TemplateWallet {
  code: string;
  label: string;
}

export const TEMPLATE_WALLETS: Record<TemplateCode, TemplateWallet> = {
  CANTINE: { code: 'restauration', label: 'Restauration scolaire' },
  GARDERIE_MATIN: { code: 'periscolaire', label: 'Accueil périscolaire' },
  GARDERIE_SOIR: { code: 'periscolaire', label: 'Accueil périscolaire' },
  BUS: { code: 'transport', label: 'Transport scolaire' },
};

const SCHOOL_DAYS = [1, 2, 4, 5];

export const ACTIVITY_TEMPLATE: ActivityTemplate[] = [
  {
    code: 'CANTINE', included: true, name: 'Cantine', weekdays: SCHOOL_DAYS, startTime: '12:00', endTime: '13:30', priceCents: 310,
    // Meals are ordered from the kitchen two working days ahead.
    bookDaysBefore: 2, bookUntilTime: '10:00', cancelDaysBefore: 2, cancelUntilTime: '10:00', walletLabel: TEMPLATE_WALLETS.CANTINE.label, meal: true,
  },
  {
    code: 'GARDERIE_MATIN', included: true, name: 'Garderie matin', weekdays: SCHOOL_DAYS, startTime: '07:30', endTime: '08:50', priceCents: 150,
    bookDaysBefore: 1, bookUntilTime: '18:00', cancelDaysBefore: 1, cancelUntilTime: '18:00', walletLabel: TEMPLATE_WALLETS.GARDERIE_MATIN.label, meal: false,
  },
  {
    code: 'GARDERIE_SOIR', included: true, name: 'Garderie soir', weekdays: SCHOOL_DAYS, startTime: '16:30', endTime: '18:30', priceCents: 190,
    bookDaysBefore: 0, bookUntilTime: '09:00', cancelDaysBefore: 0, cancelUntilTime: '09:00', walletLabel: TEMPLATE_WALLETS.GARDERIE_SOIR.label, meal: false,
  },
  {
    code: 'BUS', included: true, name: 'Bus', weekdays: SCHOOL_DAYS, startTime: '07:45', endTime: '17:15', priceCents: 80,
    bookDaysBefore: 1, bookUntilTime: '12:00', cancelDaysBefore: 1, cancelUntilTime: '12:00', walletLabel: TEMPLATE_WALLETS.BUS.label, meal: false,
  },
];

export function setupTemplate(): SetupTemplate {
  return { activities: ACTIVITY_TEMPLATE.map((a) => ({ ...a, weekdays: [...a.weekdays] })) };
}
