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
  {
    referenceNumber: 'GE069002',
    name: 'Tsiteli Khidi (Red Bridge) road',
    country: 'GE',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'GE069009',
    name: 'Gardabani rail',
    country: 'GE',
    kind: 'rail-border',
    roles: ALL,
    modes: ['rail'],
  },
  { referenceNumber: 'GE069301', name: 'Sarpi road', country: 'GE', kind: 'road-border', roles: ALL, modes: ['road'] },
  {
    referenceNumber: 'GE000010',
    name: 'Tbilisi customs clearance zone',
    country: 'GE',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  {
    referenceNumber: 'GE000200',
    name: 'Poti sea port',
    country: 'GE',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'rail', 'road'],
  },
  // Azerbaijan
  {
    referenceNumber: 'AZ000100',
    name: 'Baku International Sea Trade Port (Alat)',
    country: 'AZ',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'rail', 'road'],
  },
  {
    referenceNumber: 'AZ000210',
    name: 'Qirmizi Korpu (Red Bridge) road',
    country: 'AZ',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'AZ000220',
    name: 'Boyuk Kesik rail',
    country: 'AZ',
    kind: 'rail-border',
    roles: ALL,
    modes: ['rail'],
  },
  // Kazakhstan
  {
    referenceNumber: 'KZ000010',
    name: 'Almaty customs',
    country: 'KZ',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  {
    referenceNumber: 'KZ510100',
    name: 'Nur Zholy (Khorgos) road',
    country: 'KZ',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'KZ510200',
    name: 'Dostyk rail',
    country: 'KZ',
    kind: 'rail-border',
    roles: ALL,
    modes: ['rail', 'road'],
  },
  {
    referenceNumber: 'KZ470100',
    name: 'Aktau sea port',
    country: 'KZ',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'rail'],
  },
  {
    referenceNumber: 'KZ470200',
    name: 'Kuryk port',
    country: 'KZ',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'rail', 'road'],
  },
  // Uzbekistan
  {
    referenceNumber: 'UZ000010',
    name: 'Tashkent customs',
    country: 'UZ',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  {
    referenceNumber: 'UZ000110',
    name: 'Gisht-Kuprik road',
    country: 'UZ',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'UZ000120',
    name: 'Dustlik road',
    country: 'UZ',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  // Kyrgyz Republic
  {
    referenceNumber: 'KG000010',
    name: 'Bishkek customs',
    country: 'KG',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  {
    referenceNumber: 'KG000110',
    name: 'Torugart road',
    country: 'KG',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'KG000120',
    name: 'Irkeshtam road',
    country: 'KG',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  // Pakistan
  {
    referenceNumber: 'PK000010',
    name: 'Karachi port',
    country: 'PK',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'road'],
  },
  {
    referenceNumber: 'PK000110',
    name: 'Torkham road',
    country: 'PK',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'PK000120',
    name: 'Sost (Khunjerab) road',
    country: 'PK',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  // Added for the corridor routes of generators/corridor (names from corridor.md §2 and §8; numbers
  // synthetic in the national format [E] except Georgia's 69xxx TIR codes [S32]).
  // Georgia
  {
    referenceNumber: 'GE000210',
    name: 'Batumi sea port',
    country: 'GE',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'rail', 'road'],
  },
  {
    referenceNumber: 'GE069003',
    name: 'Sadakhlo road',
    country: 'GE',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'GE069004',
    name: 'Sadakhlo rail',
    country: 'GE',
    kind: 'rail-border',
    roles: ALL,
    modes: ['rail'],
  },
  {
    referenceNumber: 'GE069101',
    name: 'Kazbegi road',
    country: 'GE',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'GE000310',
    name: 'Akhalkalaki rail (Baku-Tbilisi-Kars)',
    country: 'GE',
    kind: 'rail-border',
    roles: ALL,
    modes: ['rail'],
  },
  // Azerbaijan
  {
    referenceNumber: 'AZ000010',
    name: 'Baku customs',
    country: 'AZ',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  {
    referenceNumber: 'AZ000230',
    name: 'Mazimcay road',
    country: 'AZ',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  // Kazakhstan
  {
    referenceNumber: 'KZ510300',
    name: 'Altynkol (Khorgos) rail',
    country: 'KZ',
    kind: 'rail-border',
    roles: ALL,
    modes: ['rail'],
  },
  {
    referenceNumber: 'KZ510400',
    name: 'Kolzhat road',
    country: 'KZ',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'KZ580100',
    name: 'Zhibek Zholy road',
    country: 'KZ',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  {
    referenceNumber: 'KZ580200',
    name: 'Saryagash rail',
    country: 'KZ',
    kind: 'rail-border',
    roles: ALL,
    modes: ['rail'],
  },
  {
    referenceNumber: 'KZ580010',
    name: 'Shymkent customs',
    country: 'KZ',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  { referenceNumber: 'KZ310100', name: 'Kordai road', country: 'KZ', kind: 'road-border', roles: ALL, modes: ['road'] },
  // Uzbekistan
  {
    referenceNumber: 'UZ000020',
    name: 'Navoi customs',
    country: 'UZ',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  {
    referenceNumber: 'UZ000030',
    name: 'Andijan customs',
    country: 'UZ',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  {
    referenceNumber: 'UZ000130',
    name: 'Ayritom (Termez) road and rail',
    country: 'UZ',
    kind: 'road-border',
    roles: ALL,
    modes: ['road', 'rail'],
  },
  { referenceNumber: 'UZ000140', name: 'Alat road', country: 'UZ', kind: 'road-border', roles: ALL, modes: ['road'] },
  {
    referenceNumber: 'UZ000150',
    name: 'Yallama road',
    country: 'UZ',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  // Kyrgyz Republic
  {
    referenceNumber: 'KG000020',
    name: 'Osh customs',
    country: 'KG',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road'],
  },
  {
    referenceNumber: 'KG000130',
    name: 'Ak-Zhol road',
    country: 'KG',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
  { referenceNumber: 'KG000140', name: 'Dostuk road', country: 'KG', kind: 'road-border', roles: ALL, modes: ['road'] },
  // Pakistan
  {
    referenceNumber: 'PK000020',
    name: 'Port Qasim',
    country: 'PK',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'road'],
  },
  {
    referenceNumber: 'PK000030',
    name: 'Gwadar port',
    country: 'PK',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'road'],
  },
  {
    referenceNumber: 'PK000040',
    name: 'Islamabad dry port',
    country: 'PK',
    kind: 'dry-port',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  { referenceNumber: 'PK000130', name: 'Chaman road', country: 'PK', kind: 'road-border', roles: ALL, modes: ['road'] },
  // Turkmenistan (no CATS node; office of transit on declarations from pilot countries)
  {
    referenceNumber: 'TM000100',
    name: 'Turkmenbashi international seaport',
    country: 'TM',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'road', 'rail'],
  },
  { referenceNumber: 'TM000110', name: 'Farap road', country: 'TM', kind: 'road-border', roles: ALL, modes: ['road'] },
  // China (no CATS node)
  {
    referenceNumber: 'CN000100',
    name: 'Horgos customs',
    country: 'CN',
    kind: 'road-border',
    roles: ALL,
    modes: ['road', 'rail'],
  },
  {
    referenceNumber: 'CN000200',
    name: 'Kashgar customs',
    country: 'CN',
    kind: 'inland',
    roles: ALL,
    modes: ['road', 'rail'],
  },
  // Turkiye (CTC party)
  { referenceNumber: 'TR080100', name: 'Sarp road', country: 'TR', kind: 'road-border', roles: ALL, modes: ['road'] },
  { referenceNumber: 'TR360100', name: 'Kars rail', country: 'TR', kind: 'rail-border', roles: ALL, modes: ['rail'] },
  {
    referenceNumber: 'TR340100',
    name: 'Istanbul Halkali customs',
    country: 'TR',
    kind: 'inland',
    roles: ['DEP', 'DES'],
    modes: ['road', 'rail'],
  },
  {
    referenceNumber: 'TR220100',
    name: 'Kapikule road and rail',
    country: 'TR',
    kind: 'road-border',
    roles: ALL,
    modes: ['road', 'rail'],
  },
  // EU edge
  {
    referenceNumber: 'ROCT1900',
    name: 'Constanta sud port',
    country: 'RO',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'rail', 'road'],
  },
  {
    referenceNumber: 'BG001000',
    name: 'Burgas port',
    country: 'BG',
    kind: 'sea-port',
    roles: ALL,
    modes: ['sea', 'rail', 'road'],
  },
  {
    referenceNumber: 'BG009100',
    name: 'Kapitan Andreevo road',
    country: 'BG',
    kind: 'road-border',
    roles: ALL,
    modes: ['road'],
  },
];

export const officeByReference: ReadonlyMap<string, Office> = new Map(offices.map((o) => [o.referenceNumber, o]));
