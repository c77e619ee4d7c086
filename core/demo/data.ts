/**
 * Reference data of the demo commune, Port-Sainte-Foy-et-Ponchapt (Dordogne, zone A), as the
 * user guide shows it. Prices are in cents, realistic for a small commune in 2026.
 */
import type { CommuneIdentity } from '../../api/commune.js';

export const COMMUNE: CommuneIdentity = {
  name: 'Port-Sainte-Foy-et-Ponchapt',
  department: 'Dordogne',
  address: ['Mairie', '1 place de la Mairie', '33220 Port-Sainte-Foy-et-Ponchapt'],
  service: 'Service cantine - ramassage scolaire',
  email: 'scolaires@port-sainte-foy.info',
  phone: '05 53 22 24 13',
  website: 'http://www.port-sainte-foy.info/',
  regie: 'Régie des services périscolaires',
  regisseur: 'Martine Lafon, régisseuse',
};

export { DEMO_PASSWORD } from '../install.js';

export const STAFF = [
  { username: 'admin', displayName: 'Administrateur eTicket', role: 'admin', email: 'admin@port-sainte-foy.info' },
  { username: 'secretariat', displayName: 'Martine Lafon', role: 'secretariat', email: 'scolaires@port-sainte-foy.info' },
  { username: 'restauration', displayName: 'Cuisine centrale', role: 'restauration', email: 'cuisine@port-sainte-foy.info' },
] as const;

export const SCHOOLS = [
  { key: 'maternelle', name: 'École maternelle Les Coquelicots', kind: 'maternelle', address: 'Rue des Écoles, 33220 Port-Sainte-Foy-et-Ponchapt' },
  { key: 'elementaire', name: 'École élémentaire Jean Jaurès', kind: 'elementaire', address: 'Avenue de la Gare, 33220 Port-Sainte-Foy-et-Ponchapt' },
] as const;

export const CLASSES = {
  maternelle: ['PS', 'MS', 'GS'],
  elementaire: ['CP', 'CE1', 'CE2', 'CM1', 'CM2'],
} as const;

export const WALLETS = [
  { code: 'restauration', label: 'Restauration scolaire', overdraftLimitCents: 0 },
  { code: 'periscolaire', label: 'Accueil périscolaire', overdraftLimitCents: 0 },
  { code: 'transport', label: 'Transport scolaire', overdraftLimitCents: 0 },
] as const;

/** Quotient-familial brackets, in euros: ≤ 600, 601–1 000, > 1 000 (or not provided). */
export const QF_BRACKETS = [
  { qfMin: 0, qfMax: 600, label: 'QF ≤ 600' },
  { qfMin: 601, qfMax: 1000, label: 'QF 601 à 1 000' },
  { qfMin: 1001, qfMax: null, label: 'QF > 1 000' },
] as const;

export const ACTIVITIES = [
  {
    code: 'GARDERIE_MATIN', name: 'Garderie matin', wallet: 'periscolaire', weekdays: '1,2,4,5',
    startTime: '07:30', endTime: '08:50', capacity: 40, meal: false,
    bookDaysBefore: 1, bookUntil: '18:00', cancelDaysBefore: 1, cancelUntil: '18:00', lateSurchargeCents: 100,
    prices: [120, 150, 180],
  },
  {
    code: 'CANTINE', name: 'Cantine', wallet: 'restauration', weekdays: '1,2,4,5',
    startTime: '12:00', endTime: '13:30', capacity: 180, meal: true,
    // Meals are ordered from the caterer two working days ahead.
    bookDaysBefore: 2, bookUntil: '10:00', cancelDaysBefore: 2, cancelUntil: '10:00', lateSurchargeCents: 200,
    prices: [250, 310, 360],
  },
  {
    code: 'GARDERIE_SOIR', name: 'Garderie soir', wallet: 'periscolaire', weekdays: '1,2,4,5',
    startTime: '16:30', endTime: '18:30', capacity: 40, meal: false,
    bookDaysBefore: 0, bookUntil: '09:00', cancelDaysBefore: 0, cancelUntil: '09:00', lateSurchargeCents: 100,
    prices: [150, 190, 230],
  },
  {
    code: 'BUS', name: 'Bus', wallet: 'transport', weekdays: '1,2,4,5',
    startTime: '07:45', endTime: '17:15', capacity: 50, meal: false,
    bookDaysBefore: 1, bookUntil: '12:00', cancelDaysBefore: 1, cancelUntil: '12:00', lateSurchargeCents: 0,
    prices: [80, 80, 80],
  },
] as const;

export const INFO_PAGES = [
  {
    slug: 'fonctionnement',
    title: 'Fonctionnement du portail eTicket',
    body:
      'Le portail eTicket vous permet de réserver les services périscolaires de vos enfants, de créditer votre compte en ligne et de communiquer avec la mairie.\n\n' +
      'Créditez votre compte (rubrique Mes factures), puis cochez — c’est impératif — les jours souhaités pour chaque enfant dans Mon Planning. ' +
      'Aucune validation ou confirmation n’est nécessaire : la coche orange indique que votre demande est validée.\n\n' +
      'Les achats au secrétariat de la mairie restent possibles (espèces, chèque à l’ordre du Trésor Public, carte bancaire).',
  },
  {
    slug: 'restauration-scolaire',
    title: 'Restauration scolaire',
    body:
      'Les repas sont préparés par la cuisine centrale et servis de 12 h à 13 h 30 les lundis, mardis, jeudis et vendredis.\n\n' +
      'Réservation et annulation jusqu’à 10 h deux jours ouvrés avant le repas (par exemple le jeudi 10 h pour le lundi), car les repas sont commandés à l’avance.\n\n' +
      'Régimes proposés : sans porc, végétarien, sans gluten. Les allergies relèvent d’un projet d’accueil individualisé (PAI) établi avec le médecin scolaire.\n\n' +
      'Un enfant présent sans réservation est accueilli ; le repas est alors facturé avec un supplément de 2,00 €.',
  },
  {
    slug: 'garderie',
    title: 'Garderie du matin et du soir',
    body:
      'Garderie du matin de 7 h 30 à 8 h 50, réservation jusqu’à la veille (jour ouvré) 18 h.\n\n' +
      'Garderie du soir de 16 h 30 à 18 h 30, réservation le jour même jusqu’à 9 h.\n\n' +
      'Les tarifs dépendent du quotient familial (attestation CAF à déposer dans Mes documents).',
  },
  {
    slug: 'transport',
    title: 'Transport scolaire',
    body: 'Le bus dessert les deux écoles matin et soir, les jours d’école. Réservation jusqu’à la veille (jour ouvré) midi. Tarif unique : 0,80 € le trajet aller-retour.',
  },
  {
    slug: 'contacts',
    title: 'Vos contacts',
    body:
      'La mairie de Port-Sainte-Foy-et-Ponchapt est votre interlocuteur principal.\n\n' +
      'Service cantine - ramassage scolaire de la Mairie\nscolaires@port-sainte-foy.info\nTél. 05 53 22 24 13\n\n' +
      'Secrétariat ouvert du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h.',
  },
] as const;

/** The DEVRET family of the guide; Chantal's card exactly as the guide shows it. */
export const DEVRET = {
  code: 'F0001',
  name: 'DEVRET',
  quotientFamilial: 850,
  login: 'chantal.devret',
  contacts: [
    {
      relationship: 'MERE', lastName: 'DEVRET', firstName: 'Chantal',
      address1: 'Chemin de la lune', address2: '', address3: '', postalCode: '45600', city: 'JUMEX',
      phone: '', mobile: '06 07 89 70 15', workPhone: '04 76 89 10 11', workMobile: '04 76 89 10 11',
      email: 'pasdemail@qjis.fr', note: '',
      useForBilling: true, emergencyContact: true, authorizedPickup: true,
    },
    {
      relationship: 'PERE', lastName: 'DEVRET', firstName: 'Olivier',
      address1: 'Chemin de la lune', address2: '', address3: '', postalCode: '45600', city: 'JUMEX',
      phone: '', mobile: '06 12 45 78 90', workPhone: '05 53 24 61 30', workMobile: '',
      email: 'olivier.devret@exemple.fr', note: 'Joignable après 17 h',
      useForBilling: false, emergencyContact: true, authorizedPickup: true,
    },
  ],
  children: [
    { firstName: 'Julia', birthDate: '2016-09-14', school: 'elementaire', className: 'CM1', diet: 'standard', allergies: '', pai: false, paiNote: '' },
    { firstName: 'Louis', birthDate: '2019-03-02', school: 'elementaire', className: 'CP', diet: 'sans_porc', allergies: 'Arachides, fruits à coque', pai: true, paiNote: 'Trousse d’urgence au bureau de la directrice' },
    { firstName: 'Margot', birthDate: '2022-06-21', school: 'maternelle', className: 'MS', diet: 'vegetarien', allergies: '', pai: false, paiNote: '' },
  ],
} as const;

export const SURNAMES = [
  'MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU',
  'SIMON', 'LAURENT', 'LEFEBVRE', 'MICHEL', 'GARCIA', 'DAVID', 'BERTRAND', 'ROUX', 'VINCENT', 'FOURNIER',
  'MOREL', 'GIRARD', 'ANDRÉ', 'MERCIER', 'DUPONT', 'LAMBERT', 'BONNET', 'FRANÇOIS', 'MARTINEZ', 'LEGRAND',
  'GARNIER', 'FAURE', 'ROUSSEAU', 'BLANC', 'GUÉRIN', 'MULLER', 'HENRY', 'ROUSSEL', 'NICOLAS', 'PERRIN',
  'MOULIN', 'BOUCHER', 'GAUTHIER', 'LOPEZ',
] as const;

export const MOTHER_NAMES = ['Marie', 'Nathalie', 'Isabelle', 'Sandrine', 'Céline', 'Sophie', 'Aurélie', 'Émilie', 'Julie', 'Camille', 'Laure', 'Hélène', 'Audrey', 'Élodie', 'Claire'] as const;
export const FATHER_NAMES = ['Nicolas', 'Julien', 'Sébastien', 'Christophe', 'Stéphane', 'Frédéric', 'Thomas', 'Guillaume', 'Mathieu', 'Jérôme', 'Vincent', 'Cédric', 'Benoît', 'François', 'Laurent'] as const;
export const CHILD_NAMES = ['Emma', 'Gabriel', 'Jade', 'Léo', 'Louise', 'Raphaël', 'Alice', 'Arthur', 'Chloé', 'Jules', 'Lina', 'Hugo', 'Rose', 'Adam', 'Léa', 'Lucas', 'Manon', 'Nathan', 'Inès', 'Paul', 'Zoé', 'Tom', 'Anna', 'Noah', 'Lou', 'Sacha', 'Mila', 'Éthan', 'Ambre', 'Timéo'] as const;
export const STREETS = ['Rue de la Dordogne', 'Chemin des Vignes', 'Avenue de Ponchapt', 'Rue du Port', 'Impasse des Tilleuls', 'Route de Bergerac', 'Rue des Écoles', 'Allée des Peupliers', 'Chemin du Moulin', 'Place du Marché'] as const;
export const ALLERGIES = ['Arachides', 'Lait de vache', 'Œuf', 'Gluten', 'Kiwi', 'Poisson'] as const;
