import type { AuditResponse, AuditRowView } from '../api/staff.js';
import type { Actor, CoreContext } from './context.js';
import { addDays, isValidDate, parisInstant } from './dates.js';
import { invalid } from './errors.js';
import { authorizeStaff } from './policy.js';
import { describeChange, idsMentioned, type JournalNames } from './journal-text.js';

/**
 * The audit log as the console's "Journal" shows it: filters on a Paris date range, action,
 * family, staff member and kind of author, newest first, with names resolved in the same query.
 */

export const ACTION_LABELS: Record<string, string> = {
  'import.families': 'Import de familles',
  'import.welcome_letters': 'Courriers de bienvenue (import)',
  'account.create': 'Accès portail créé',
  'account.deactivate': 'Accès portail désactivé',
  'account.reactivate': 'Accès portail réactivé',
  'account.password_change': 'Mot de passe changé',
  'account.password_reset': 'Mot de passe réinitialisé (lien)',
  'account.password_reset_by_staff': 'Mot de passe réinitialisé (secrétariat)',
  'activity.create': 'Activité créée',
  'activity.update': 'Activité et tarifs modifiés',
  'attendance.record': 'Pointage',
  'booking.batch': 'Réservations au guichet',
  'booking.override': 'Réservation avec dérogation',
  'calendar.import': 'Calendrier scolaire officiel importé',
  'cash.close': 'Clôture de caisse',
  'child.create': 'Enfant ajouté',
  'child.health_update': 'Régime ou allergies modifiés',
  'child.update': 'Fiche enfant modifiée',
  'closure.bookings_cancelled': 'Réservations annulées par une fermeture',
  'closure.create': 'Fermeture ajoutée',
  'closure.delete': 'Fermeture supprimée',
  'closure.update': 'Fermeture modifiée',
  'contact.create': 'Fiche de contact ajoutée',
  'contact.delete': 'Fiche de contact supprimée',
  'contact.update': 'Fiche de contact modifiée',
  'document.accept': 'Document accepté',
  'document.refuse': 'Document refusé',
  'document.upload': 'Document déposé',
  'family.create': 'Dossier créé',
  'family.alert_threshold': 'Seuil d’alerte de solde modifié',
  'family.update': 'Dossier modifié',
  'gdpr.anonymise': 'Famille anonymisée (RGPD)',
  'gdpr.export': 'Données de la famille exportées (RGPD)',
  'info_page.create': 'Page d’information créée',
  'info_page.update': 'Page d’information modifiée',
  'ledger.reverse': 'Écriture annulée',
  'message.reply': 'Réponse à un message',
  'message.start': 'Message envoyé à une famille',
  'payment.create': 'Paiement en ligne commencé',
  'payment.paid': 'Paiement en ligne reçu',
  'payment.verify': 'Paiement en ligne vérifié auprès de PayFiP',
  'rentree.classes': 'Classes d’une école modifiées',
  'rentree.passage': 'Passage en classe supérieure',
  'sale.cancel': 'Encaissement annulé',
  'restore.applied': 'Restauration d’une sauvegarde',
  'restore.numbering': 'Numérotation confirmée après la restauration',
  'sale.create': 'Encaissement',
  'settings.commune': 'Identité de la commune modifiée',
  'settings.booking_horizon': 'Horizon de réservation modifié',
  'settings.portal': 'Réglages du portail modifiés',
  'settings.payfip': 'Réglages du paiement en ligne (PayFiP) modifiés',
  'settings.smtp': 'Réglages de messagerie modifiés',
  'settings.gdpr': 'Durée de conservation des données modifiée',
  'settings.backup': 'Réglages des sauvegardes modifiés',
  'backup.manual': 'Sauvegarde manuelle',
  'settings.security': 'Durées de session modifiées',
  'setup.done': 'Mise en service de la commune',
  'staff_user.create': 'Compte agent créé',
  'staff_user.password_reset': 'Mot de passe agent réinitialisé',
  'staff_user.update': 'Compte agent modifié',
  'subscription.create': 'Abonnement créé',
  'subscription.end': 'Abonnement arrêté',
  'wallet.adjust': 'Régularisation du solde',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export interface JournalQuery {
  from?: string;
  to?: string;
  action?: string;
  familyId?: number;
  staffUserId?: number;
  actorKind?: 'staff' | 'parent' | 'system';
  limit?: number;
  offset?: number;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Admin and secretariat read the journal; the canteen staff does not. */
export async function queryJournal(
  ctx: CoreContext,
  actor: Actor,
  q: JournalQuery,
  /** The xlsx export reads more rows than a screen page. */
  maxRows = 500,
): Promise<AuditResponse> {
  authorizeStaff(actor, 'journal.read');
  if (q.from && !isValidDate(q.from)) throw invalid('Date de début invalide.');
  if (q.to && !isValidDate(q.to)) throw invalid('Date de fin invalide.');
  if (q.from && q.to && q.to < q.from) throw invalid('La date de fin doit suivre la date de début.');
  const limit = Math.min(Math.max(q.limit ?? 100, 1), maxRows);
  const offset = Math.max(q.offset ?? 0, 0);

  const query = ctx
    .db('audit_log as a')
    .leftJoin('staff_users as s', 's.id', 'a.staff_user_id')
    .leftJoin('parent_accounts as p', 'p.id', 'a.parent_account_id')
    .leftJoin('families as f', 'f.id', 'a.family_id')
    .select('a.*', 's.display_name as staff_name', 'p.username as parent_username', 'f.name as family_name')
    .orderBy([{ column: 'a.at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .limit(limit + 1)
    .offset(offset);
  // Paris days to UTC instants, so "today" means the secretariat's today.
  if (q.from) query.where('a.at', '>=', parisInstant(q.from, '00:00').toISOString());
  if (q.to) query.where('a.at', '<', parisInstant(addDays(q.to, 1), '00:00').toISOString());
  if (q.action) query.where('a.action', q.action);
  if (q.familyId != null) query.where('a.family_id', q.familyId);
  if (q.staffUserId != null) query.where('a.staff_user_id', q.staffUserId);
  if (q.actorKind) query.where('a.actor_kind', q.actorKind);
  const rows = (await query) as Array<Record<string, unknown>>;
  const parsed = new Map(rows.map((r) => [r.id as number, { before: parseJson(r.before_json), after: parseJson(r.after_json) }]));
  const names = await namesOf(ctx, [...parsed.values()].flatMap((p) => [p.before, p.after]));

  const [actionRows, staffRows] = await Promise.all([
    ctx.db('audit_log').distinct('action').orderBy('action') as Promise<Array<{ action: string }>>,
    ctx.db('staff_users').select('id', 'display_name').orderBy('display_name') as Promise<Array<{ id: number; display_name: string }>>,
  ]);

  return {
    hasMore: rows.length > limit,
    rows: rows.slice(0, limit).map((r) => {
      const kind = r.actor_kind as AuditRowView['actorKind'];
      return {
        id: r.id as number,
        at: r.at as string,
        actorKind: kind,
        actorName: kind === 'staff' ? ((r.staff_name as string) ?? 'agent') : kind === 'parent' ? `Parent ${(r.parent_username as string) ?? ''}`.trim() : 'Système',
        staffUserId: (r.staff_user_id as number | null) ?? null,
        action: r.action as string,
        actionLabel: actionLabel(r.action as string),
        entity: r.entity as string,
        entityId: (r.entity_id as string | null) ?? null,
        familyId: (r.family_id as number | null) ?? null,
        familyName: (r.family_name as string | null) ?? null,
        before: parsed.get(r.id as number)!.before,
        after: parsed.get(r.id as number)!.after,
        changes: describeChange(parsed.get(r.id as number)!.before, parsed.get(r.id as number)!.after, names),
        note: (r.note as string | null) ?? null,
        needsReview: !!r.needs_review,
      };
    }),
    actions: actionRows.map((a) => ({ action: a.action, label: actionLabel(a.action) })),
    staff: staffRows.map((s) => ({ id: s.id, name: s.display_name })),
  };
}

/** Names of the children, activities, wallets and schools the rows mention, one query per kind. */
async function namesOf(ctx: CoreContext, values: unknown[]): Promise<JournalNames> {
  const ids = idsMentioned(values);
  const load = async (table: string, label: string, set: Set<number>) => {
    if (set.size === 0) return new Map<number, string>();
    const found = (await ctx.db(table).whereIn('id', [...set].slice(0, 5000)).select('id', ctx.db.raw(`${label} as label`))) as Array<{ id: number; label: string }>;
    return new Map(found.map((f) => [f.id, f.label]));
  };
  return {
    childId: await load('children', "first_name || ' ' || last_name", ids.childId),
    activityId: await load('activities', 'name', ids.activityId),
    walletId: await load('wallets', 'label', ids.walletId),
    schoolId: await load('schools', 'name', ids.schoolId),
  };
}
