// Customs office list of spec v0 (the role of NCTS's CL141 / COL): reference
// number, name, country, kind, roles and modes. Names and codes from
// ../shared/domain/corridor.md §2 and §8; numbers marked [E] there are synthetic
// in the national format.
export type OfficeKind = 'inland' | 'road-border' | 'rail-border' | 'sea-port' | 'dry-port';
export type OfficeRole = 'DEP' | 'TRA' | 'DES';
export type Mode = 'road' | 'rail' | 'sea';

export interface Office {
  referenceNumber: string;
  name: string;
  country: string;
  kind: OfficeKind;
  roles: readonly OfficeRole[];
  modes: readonly Mode[];
}

const ALL: readonly OfficeRole[] = ['DEP', 'TRA', 'DES'];

export const offices: readonly Office[] = [
  // Georgia: border codes from the UNECE TIR list (69xxx) [S32]; CTC format GE + 6.
  { referenceNumber: 'GE069002', name: 'Tsiteli Khidi (Red Bridge) road', country: 'GE', kind: 'road-border', roles: ALL, modes: ['road'] },
  { referenceNumber: 'GE069009', name: 'Gardabani rail', country: 'GE', kind: 'rail-border', roles: ALL, modes: ['rail'] },
  { referenceNumber: 'GE069301', name: 'Sarpi road', country: 'GE', kind: 'road-border', roles: ALL, modes: ['road'] },
  { referenceNumber: 'GE000010', name: 'Tbilisi customs clearance zone', country: 'GE', kind: 'inland', roles: ['DEP', 'DES'], modes: ['road', 'rail'] },
  { referenceNumber: 'GE000200', name: 'Poti sea port', country: 'GE', kind: 'sea-port', roles: ALL, modes: ['sea', 'rail', 'road'] },
  // Azerbaijan
  { referenceNumber: 'AZ000100', name: 'Baku International Sea Trade Port (Alat)', country: 'AZ', kind: 'sea-port', roles: ALL, modes: ['sea', 'rail', 'road'] },
  { referenceNumber: 'AZ000210', name: 'Qirmizi Korpu (Red Bridge) road', country: 'AZ', kind: 'road-border', roles: ALL, modes: ['road'] },
  { referenceNumber: 'AZ000220', name: 'Boyuk Kesik rail', country: 'AZ', kind: 'rail-border', roles: ALL, modes: ['rail'] },
  // Kazakhstan
  { referenceNumber: 'KZ000010', name: 'Almaty customs', country: 'KZ', kind: 'inland', roles: ['DEP', 'DES'], modes: ['road', 'rail'] },
  { referenceNumber: 'KZ510100', name: 'Nur Zholy (Khorgos) road', country: 'KZ', kind: 'road-border', roles: ALL, modes: ['road'] },
  { referenceNumber: 'KZ510200', name: 'Dostyk rail', country: 'KZ', kind: 'rail-border', roles: ALL, modes: ['rail', 'road'] },
  { referenceNumber: 'KZ470100', name: 'Aktau sea port', country: 'KZ', kind: 'sea-port', roles: ALL, modes: ['sea', 'rail'] },
  { referenceNumber: 'KZ470200', name: 'Kuryk port', country: 'KZ', kind: 'sea-port', roles: ALL, modes: ['sea', 'rail', 'road'] },
  // Uzbekistan
  { referenceNumber: 'UZ000010', name: 'Tashkent customs', country: 'UZ', kind: 'inland', roles: ['DEP', 'DES'], modes: ['road', 'rail'] },
  { referenceNumber: 'UZ000110', name: 'Gisht-Kuprik road', country: 'UZ', kind: 'road-border', roles: ALL, modes: ['road'] },
  { referenceNumber: 'UZ000120', name: 'Dustlik road', country: 'UZ', kind: 'road-border', roles: ALL, modes: ['road'] },
  // Kyrgyz Republic
  { referenceNumber: 'KG000010', name: 'Bishkek customs', country: 'KG', kind: 'inland', roles: ['DEP', 'DES'], modes: ['road', 'rail'] },
  { referenceNumber: 'KG000110', name: 'Torugart road', country: 'KG', kind: 'road-border', roles: ALL, modes: ['road'] },
  { referenceNumber: 'KG000120', name: 'Irkeshtam road', country: 'KG', kind: 'road-border', roles: ALL, modes: ['road'] },
  // Pakistan
  { referenceNumber: 'PK000010', name: 'Karachi port', country: 'PK', kind: 'sea-port', roles: ALL, modes: ['sea', 'road'] },
  { referenceNumber: 'PK000110', name: 'Torkham road', country: 'PK', kind: 'road-border', roles: ALL, modes: ['road'] },
  { referenceNumber: 'PK000120', name: 'Sost (Khunjerab) road', country: 'PK', kind: 'road-border', roles: ALL, modes: ['road'] },
];

export const officeByReference: ReadonlyMap<string, Office> = new Map(offices.map((o) => [o.referenceNumber, o]));
