import { formatDateLongFr } from '../dates.js';
import { mairieTitle, type CommuneIdentity } from '../../api/commune.js';
import { buildPdf } from './document.js';
import { renderOffThread } from './off-thread.js';

export interface WelcomeLetterData {
  commune: CommuneIdentity;
  familyName: string;
  familyCode: string;
  /** Addressee on the letter, e.g. "Madame Chantal DEVRET". */
  addressee: string;
  addressLines: string[];
  username: string;
  temporaryPassword: string;
  portalUrl: string;
  /** Paris date of the letter. */
  date: string;
}

/** The welcome letter handed or posted to a family: how to sign in, with the temporary credentials. */
export function welcomeLetterPdf(data: WelcomeLetterData, createdAt?: Date): Promise<Uint8Array> {
  return renderOffThread('welcomeLetter', drawWelcomeLetter, [data, createdAt]);
}

export function drawWelcomeLetter(data: WelcomeLetterData, createdAt?: Date): Promise<Uint8Array> {
  return buildPdf(
    {
      commune: data.commune,
      title: 'Votre accès au portail eTicket',
      subtitle: `Dossier ${data.familyCode} — famille ${data.familyName}`,
      footer: 'Document confidentiel : il contient un mot de passe provisoire.',
      subject: 'Lettre de bienvenue eTicket',
      createdAt,
    },
    (pdf) => {
      pdf.paragraph([data.addressee, ...data.addressLines].filter(Boolean).join('\n'), { size: 10.5 });
      pdf.paragraph(`${data.commune.name ? `${data.commune.name}, le` : 'Le'} ${formatDateLongFr(data.date)}`, { muted: true });
      pdf.space(6);
      pdf.paragraph('Madame, Monsieur,');
      pdf.paragraph(
        'La commune met à votre disposition le portail eTicket pour réserver la cantine, la garderie et le bus de vos enfants, créditer votre compte en ligne, consulter vos factures, mettre à jour votre dossier et nous écrire.',
      );
      pdf.heading('Vos identifiants');
      pdf.keyValues([
        ['Adresse du portail', data.portalUrl],
        ['Identifiant', data.username],
        ['Mot de passe provisoire', data.temporaryPassword],
      ], { size: 11 });
      pdf.paragraph(
        'Lors de votre première connexion, le portail vous demandera de choisir votre propre mot de passe. Le mot de passe provisoire ne fonctionnera plus ensuite.',
      );
      pdf.heading('Bien démarrer');
      pdf.paragraph(
        '1. Ouvrez l’adresse du portail et saisissez votre identifiant et votre mot de passe.\n' +
          '2. Dans « Mon dossier », vérifiez vos coordonnées et votre adresse e-mail.\n' +
          '3. Dans « Mes factures », créditez votre compte (« Créditer mon compte »).\n' +
          '4. Dans « Mon Planning », cochez les jours souhaités pour chaque enfant : la coche orange indique que votre demande est validée.',
      );
      pdf.heading('Une question ?');
      const reach = [data.commune.email, data.commune.phone ? `Tél. ${data.commune.phone}` : ''].filter(Boolean).join(' — ');
      pdf.paragraph(`${data.commune.service} de la ${mairieTitle(data.commune)}${reach ? ` : ${reach}` : ''}`);
      pdf.space(8);
      pdf.paragraph('Nous vous prions d’agréer, Madame, Monsieur, nos salutations distinguées.');
      pdf.paragraph(`Le secrétariat de la ${mairieTitle(data.commune)}`, { bold: true });
    },
  );
}
