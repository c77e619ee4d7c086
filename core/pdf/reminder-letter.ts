import { formatDateLongFr } from '../dates.js';
import { formatCents } from '../money.js';
import { mairieTitle, type CommuneIdentity } from '../../api/commune.js';
import { buildPdf } from './document.js';
import { renderOffThread } from './off-thread.js';

export interface ReminderLetter {
  familyName: string;
  familyCode: string;
  /** "Madame Chantal DEVRET", or "Famille DEVRET" without a billing card. */
  addressee: string;
  addressLines: string[];
  wallets: Array<{ label: string; balanceCents: number }>;
}

export interface ReminderLettersData {
  commune: CommuneIdentity;
  /** Paris day of the reminder. */
  date: string;
  portalUrl: string;
  letters: ReminderLetter[];
}

/** "Soldes et relances": the letters for the families without an e-mail address, one page per family. */
export function reminderLettersPdf(data: ReminderLettersData, createdAt?: Date): Promise<Uint8Array> {
  return renderOffThread('reminderLetters', drawReminderLetters, [data, createdAt]);
}

export function drawReminderLetters(data: ReminderLettersData, createdAt?: Date): Promise<Uint8Array> {
  const mairie = mairieTitle(data.commune);
  return buildPdf(
    {
      commune: data.commune,
      title: 'Relance : solde de votre compte eTicket',
      footer: `Courrier de relance du ${formatDateLongFr(data.date)}`,
      subject: 'Relances de solde eTicket',
      createdAt,
    },
    (pdf) => {
      data.letters.forEach((letter, i) => {
        if (i > 0) {
          pdf.newPage();
          pdf.heading('Relance : solde de votre compte eTicket', 17);
        }
        pdf.paragraph(`Dossier ${letter.familyCode} — famille ${letter.familyName}`, { muted: true });
        pdf.paragraph([letter.addressee, ...letter.addressLines].filter(Boolean).join('\n'), { size: 10.5 });
        pdf.paragraph(`${data.commune.name ? `${data.commune.name}, le` : 'Le'} ${formatDateLongFr(data.date)}`, { muted: true });
        pdf.space(6);
        pdf.paragraph('Madame, Monsieur,');
        pdf.paragraph(`À ce jour, le solde de votre compte eTicket est le suivant :`);
        pdf.keyValues(letter.wallets.map((w) => [w.label, formatCents(w.balanceCents)] as const), { size: 11 });
        const negative = letter.wallets.some((w) => w.balanceCents < 0);
        pdf.paragraph(
          negative
            ? 'Un solde négatif correspond à des prestations déjà consommées et non encore payées : nous vous remercions de le régulariser dans les meilleurs délais.'
            : 'Votre solde est sous le seuil d’alerte : pensez à créditer votre compte pour que les prochaines réservations puissent être prises en compte.',
        );
        pdf.heading('Comment payer ?');
        pdf.paragraph(
          `- En ligne, par carte bancaire (paiement sécurisé du Trésor Public) : ${data.portalUrl}, rubrique « Mes factures », bouton « Créditer mon compte ».\n` +
            `- Au secrétariat de la ${mairie}, en espèces, par chèque ou par carte bancaire.`,
        );
        const reach = [data.commune.email, data.commune.phone ? `Tél. ${data.commune.phone}` : ''].filter(Boolean).join(' — ');
        if (reach) pdf.paragraph(`Une question ? ${data.commune.service} : ${reach}`);
        pdf.paragraph('Si vous avez réglé entre-temps, merci de ne pas tenir compte de ce courrier.');
        pdf.space(6);
        pdf.paragraph('Nous vous prions d’agréer, Madame, Monsieur, nos salutations distinguées.');
        pdf.paragraph(`Le secrétariat de la ${mairie}`, { bold: true });
      });
    },
  );
}
