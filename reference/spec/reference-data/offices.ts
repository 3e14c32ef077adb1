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
  /** Approximate location, decimal degrees (WGS 84), to a few kilometres. */
  position?: Position;
}

export interface Position {
  lat: number;
  lon: number;
}

const ALL: readonly OfficeRole[] = ['DEP', 'TRA', 'DES'];

const officeList: readonly Office[] = [
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

// Approximate positions (town, port or crossing on a map, to a few km) [E]: they bound each leg's
// implied speed, not any customs rule.
const positions: Readonly<Record<string, readonly [number, number]>> = {
  GE069002: [41.33, 45.08],
  GE069009: [41.42, 45.13],
  GE069301: [41.52, 41.55],
  GE000010: [41.72, 44.79],
  GE000200: [42.15, 41.67],
  AZ000100: [39.94, 49.41],
  AZ000210: [41.33, 45.09],
  AZ000220: [41.41, 45.15],
  KZ000010: [43.24, 76.89],
  KZ510100: [44.21, 80.28],
  KZ510200: [45.25, 82.48],
  KZ470100: [43.6, 51.22],
  KZ470200: [43.17, 51.65],
  UZ000010: [41.3, 69.24],
  UZ000110: [41.44, 69.36],
  UZ000120: [40.61, 72.7],
  KG000010: [42.87, 74.59],
  KG000110: [40.56, 75.39],
  KG000120: [39.68, 73.91],
  PK000010: [24.84, 66.98],
  PK000110: [34.12, 71.09],
  PK000120: [36.69, 74.82],
  GE000210: [41.65, 41.64],
  GE069003: [41.25, 44.8],
  GE069004: [41.25, 44.81],
  GE069101: [42.72, 44.63],
  GE000310: [41.4, 43.48],
  AZ000010: [40.41, 49.87],
  AZ000230: [41.63, 46.35],
  KZ510300: [44.2, 80.37],
  KZ510400: [43.5, 80.6],
  KZ580100: [41.45, 69.36],
  KZ580200: [41.46, 69.17],
  KZ580010: [42.32, 69.59],
  KZ310100: [42.89, 74.38],
  UZ000020: [40.1, 65.38],
  UZ000030: [40.78, 72.34],
  UZ000130: [37.23, 67.43],
  UZ000140: [39.4, 63.75],
  UZ000150: [41.05, 68.76],
  KG000020: [40.53, 72.8],
  KG000130: [42.88, 74.39],
  KG000140: [40.62, 72.71],
  PK000020: [24.77, 67.35],
  PK000030: [25.12, 62.33],
  PK000040: [33.68, 73.05],
  PK000130: [30.92, 66.45],
  TM000100: [40.02, 52.97],
  TM000110: [39.17, 63.61],
  CN000100: [44.21, 80.42],
  CN000200: [39.47, 75.99],
  TR080100: [41.51, 41.55],
  TR360100: [40.6, 43.1],
  TR340100: [41.03, 28.77],
  TR220100: [41.72, 26.36],
  ROCT1900: [44.1, 28.65],
  BG001000: [42.49, 27.48],
  BG009100: [41.72, 26.33],
};

export const offices: readonly Office[] = officeList.map((o) => {
  const p = positions[o.referenceNumber];
  return p ? { ...o, position: { lat: p[0], lon: p[1] } } : o;
});

export const officeByReference: ReadonlyMap<string, Office> = new Map(offices.map((o) => [o.referenceNumber, o]));
