/**
 * Académies of metropolitan France with their holiday zone (zoning of 2016, Normandie merged in
 * 2020) and their départements, to propose the zone from the commune's département. Corse and
 * the overseas académies are zones of their own in the Ministry's file.
 */
export const ACADEMIES: ReadonlyArray<{ name: string; zone: string; departements: readonly string[] }> = [
  { name: 'Besançon', zone: 'Zone A', departements: ['Doubs', 'Jura', 'Haute-Saône', 'Territoire de Belfort'] },
  { name: 'Bordeaux', zone: 'Zone A', departements: ['Dordogne', 'Gironde', 'Landes', 'Lot-et-Garonne', 'Pyrénées-Atlantiques'] },
  { name: 'Clermont-Ferrand', zone: 'Zone A', departements: ['Allier', 'Cantal', 'Haute-Loire', 'Puy-de-Dôme'] },
  { name: 'Dijon', zone: 'Zone A', departements: ['Côte-d’Or', 'Nièvre', 'Saône-et-Loire', 'Yonne'] },
  { name: 'Grenoble', zone: 'Zone A', departements: ['Ardèche', 'Drôme', 'Isère', 'Savoie', 'Haute-Savoie'] },
  { name: 'Limoges', zone: 'Zone A', departements: ['Corrèze', 'Creuse', 'Haute-Vienne'] },
  { name: 'Lyon', zone: 'Zone A', departements: ['Ain', 'Loire', 'Rhône'] },
  { name: 'Poitiers', zone: 'Zone A', departements: ['Charente', 'Charente-Maritime', 'Deux-Sèvres', 'Vienne'] },
  { name: 'Aix-Marseille', zone: 'Zone B', departements: ['Alpes-de-Haute-Provence', 'Hautes-Alpes', 'Bouches-du-Rhône', 'Vaucluse'] },
  { name: 'Amiens', zone: 'Zone B', departements: ['Aisne', 'Oise', 'Somme'] },
  { name: 'Lille', zone: 'Zone B', departements: ['Nord', 'Pas-de-Calais'] },
  { name: 'Nancy-Metz', zone: 'Zone B', departements: ['Meurthe-et-Moselle', 'Meuse', 'Moselle', 'Vosges'] },
  { name: 'Nantes', zone: 'Zone B', departements: ['Loire-Atlantique', 'Maine-et-Loire', 'Mayenne', 'Sarthe', 'Vendée'] },
  { name: 'Nice', zone: 'Zone B', departements: ['Alpes-Maritimes', 'Var'] },
  { name: 'Normandie', zone: 'Zone B', departements: ['Calvados', 'Eure', 'Manche', 'Orne', 'Seine-Maritime'] },
  { name: 'Orléans-Tours', zone: 'Zone B', departements: ['Cher', 'Eure-et-Loir', 'Indre', 'Indre-et-Loire', 'Loir-et-Cher', 'Loiret'] },
  { name: 'Reims', zone: 'Zone B', departements: ['Ardennes', 'Aube', 'Marne', 'Haute-Marne'] },
  { name: 'Rennes', zone: 'Zone B', departements: ['Côtes-d’Armor', 'Finistère', 'Ille-et-Vilaine', 'Morbihan'] },
  { name: 'Strasbourg', zone: 'Zone B', departements: ['Bas-Rhin', 'Haut-Rhin'] },
  { name: 'Créteil', zone: 'Zone C', departements: ['Seine-et-Marne', 'Seine-Saint-Denis', 'Val-de-Marne'] },
  { name: 'Montpellier', zone: 'Zone C', departements: ['Aude', 'Gard', 'Hérault', 'Lozère', 'Pyrénées-Orientales'] },
  { name: 'Paris', zone: 'Zone C', departements: ['Paris'] },
  { name: 'Toulouse', zone: 'Zone C', departements: ['Ariège', 'Aveyron', 'Haute-Garonne', 'Gers', 'Lot', 'Hautes-Pyrénées', 'Tarn', 'Tarn-et-Garonne'] },
  { name: 'Versailles', zone: 'Zone C', departements: ['Yvelines', 'Essonne', 'Hauts-de-Seine', 'Val-d’Oise'] },
  { name: 'Corse', zone: 'Corse', departements: ['Corse-du-Sud', 'Haute-Corse'] },
];

/** Lower case, no accents, apostrophes and dashes as spaces: "Côte-d'Or" = "cote d’or". */
export function plainText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`\-–_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The académie of a département written as a name ("Dordogne", "Département de la Dordogne"). */
export function academieOfDepartement(departement: string): { name: string; zone: string } | null {
  const d = plainText(departement).replace(/^departement (de la |de l |du |des |de |d )?/, '');
  if (!d) return null;
  const found = ACADEMIES.find((a) => a.departements.some((x) => plainText(x) === d));
  return found ? { name: found.name, zone: found.zone } : null;
}
