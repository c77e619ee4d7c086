/**
 * The simulator's SOAP faults, with the codes seen from the real service where they are known:
 * P1 « IdOp incorrect », P5 « Résultat de la transaction non connu », R3 (refdet format), A2
 * (mail address). The other input codes (R1, R2, R4…R9) are the simulator's own; the real list is
 * in the DGFiP contract.
 */
import type { PayfipFaultDetail } from '../core/payfip/soap.js';

export class SoapFault extends Error {
  constructor(
    readonly detail: PayfipFaultDetail,
    readonly faultcode: 'soap:Client' | 'soap:Server' = 'soap:Server',
  ) {
    super(detail.descriptif);
  }
}

export const fonctionnelle = (code: string, descriptif: string, libelle = 'Erreur fonctionnelle'): SoapFault =>
  new SoapFault({ kind: 'FonctionnelleErreur', code, libelle, descriptif, severite: '2' });

export const indisponible = (): SoapFault =>
  new SoapFault({ kind: 'TechIndisponibiliteErreur', code: 'T2', libelle: 'Service indisponible', descriptif: 'Le service est momentanément indisponible.', severite: '1' });

export const protocolaire = (descriptif: string): SoapFault =>
  new SoapFault({ kind: 'TechProtocolaireErreur', code: 'T1', libelle: 'Erreur protocolaire', descriptif, severite: '1' }, 'soap:Client');

const isHttpUrl = (v: string) => v.length <= 250 && /^https?:\/\/[^\s/?#]+(\/[^\s]*)?$/.test(v);

export interface CreationFields {
  exer: string;
  mel: string;
  montant: number;
  numcli: string;
  objet: string;
  refdet: string;
  saisie: string;
  urlnotif: string;
  urlredirect: string;
}

/** The arguments of creerPaiementSecurise, checked as PayFiP does; throws the fault it would answer. */
export function checkCreation(a: Record<string, string>, clients: Record<string, string> | null, usedRefdets: ReadonlySet<string>): CreationFields {
  const field = (name: string) => a[name] ?? '';
  if (!/^\d{4}$/.test(field('exer'))) throw fonctionnelle('R1', 'Exercice invalide : 4 chiffres attendus.');
  const numcli = field('numcli');
  if (!/^\d{6}$/.test(numcli)) throw fonctionnelle('R2', 'Numéro client invalide : 6 chiffres attendus.');
  if (clients && !(numcli in clients)) throw fonctionnelle('R2', `Numéro client ${numcli} inconnu.`);
  const montantText = field('montant');
  if (!/^\d+$/.test(montantText)) throw fonctionnelle('R5', 'Montant invalide : un nombre entier de centimes est attendu.');
  const montant = Number(montantText);
  if (montant < 100 || montant > 999999) throw fonctionnelle('R5', 'Montant hors limites : entre 100 et 999999 centimes.');
  const refdet = field('refdet');
  // The real service refused a 4-character refdet and accepted 8: the simulator asks for 8 at least.
  if (!/^[A-Za-z0-9]{8,30}$/.test(refdet)) {
    throw fonctionnelle('R3', 'Le format du paramètre REFDET n’est pas conforme : 8 à 30 lettres ou chiffres.', 'Le format du paramètre REFDET n’est pas conforme');
  }
  if (usedRefdets.has(`${numcli}/${refdet}`)) throw fonctionnelle('R4', `Référence ${refdet} déjà utilisée.`);
  const mel = field('mel');
  if (mel.length < 6 || mel.length > 80 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mel)) {
    throw fonctionnelle('A2', 'Adresse mél incorrecte : 6 à 80 caractères.', 'Adresse mél incorrecte');
  }
  const objet = field('objet');
  if (!/^[A-Za-z0-9 ]{0,100}$/.test(objet)) throw fonctionnelle('R6', 'Objet invalide : lettres, chiffres et espaces ASCII, 100 au plus.');
  const saisie = field('saisie');
  if (!['T', 'X', 'W'].includes(saisie)) throw fonctionnelle('R7', 'Mode de saisie invalide : T, X ou W.');
  if (!isHttpUrl(field('urlnotif'))) throw fonctionnelle('R8', 'URL de notification invalide.');
  if (!isHttpUrl(field('urlredirect'))) throw fonctionnelle('R9', 'URL de redirection invalide.');
  return { exer: field('exer'), mel, montant, numcli, objet, refdet, saisie, urlnotif: field('urlnotif'), urlredirect: field('urlredirect') };
}
