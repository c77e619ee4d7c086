import type { CommuneIdentity } from '../../api/commune.js';

/** LISEZMOI.txt of the export: what each part is, who holds the data, the date. French, plain text. */
export function readmeText(i: {
  commune: CommuneIdentity;
  familyCode: string;
  dateFr: string;
  documents: number;
  missing: string[];
  receipts: number;
  invoices: number;
}): string {
  const c = i.commune;
  const lines = [
    `Vos données personnelles — dossier ${i.familyCode}`,
    `Export du ${i.dateFr}, au titre du droit d’accès (article 15 du RGPD).`,
    '',
    'Responsable du traitement :',
    ...[c.name, c.service, c.regie, ...c.address, c.email, c.phone].filter((v): v is string => typeof v === 'string' && v.trim() !== ''),
    '',
    'Contenu de cette archive :',
    '- donnees.json : toutes les lignes enregistrées à votre sujet, telles qu’elles sont stockées (dates au format ISO, montants en centimes) :',
    '  family (le dossier), contacts (les fiches des responsables), children (les enfants), portalAccounts (les comptes du portail, sans les mots de passe),',
    '  subscriptions (abonnements), bookings (réservations), attendance (pointages), wallets et ledgerEntries (porte-monnaie et leurs mouvements),',
    '  receipts (reçus du guichet), invoices et invoiceLines (factures), onlinePayments et onlinePaymentParts (paiements en ligne),',
    '  documents (description des pièces envoyées), messageThreads et messages (messagerie), mails (courriels envoyés), auditLog (journal des actions sur le dossier).',
    `- documents/ : les ${i.documents} pièce(s) justificative(s), fichiers d’origine.`,
    `- recus/ : les ${i.receipts} reçu(s) de la régie, en PDF.`,
    `- factures/ : les ${i.invoices} facture(s), en PDF.`,
  ];
  if (i.missing.length > 0) lines.push('', `Pièces dont le fichier est introuvable : ${i.missing.join(', ')}.`);
  lines.push('', 'Pour toute question ou pour exercer vos autres droits (rectification, effacement), adressez-vous à la mairie.', '');
  return lines.join('\r\n');
}
