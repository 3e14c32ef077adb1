// Middle Corridor and CAREC routes as ordered chains of customs offices, as a
// national CATS node sees them: one CTD per route, lodged at the first office
// in a pilot country (DEP), declaring the offices of entry into each further
// country (TRA) and the office of destination (DES). PASS stops are exit
// offices and ports the movement passes without a declared role; they only
// shape the schedule. A CATS movement runs only through countries with a CATS
// node (the pilot countries): goods coming from China are declared at the
// Kazakh or Kyrgyz office of entry, and a movement leaving the pilot area (to
// Afghanistan, Turkmenistan, Türkiye or the EU) ends at the exit office of the
// last pilot country; the goods' country of destination lies beyond it, and
// the journey resumes as a new CTD at the next pilot country's office of
// entry. Kazakhstan and the Kyrgyz Republic share the EAEU customs territory:
// their common border has no office of transit, only PASS stops.
//
// Figures cite ../shared/domain/corridor.md: [S#] a source listed there, [E] an
// estimate. Annual movements are CTDs per year in the base year; see
// `volumeSource` for the derivation of each.
import type { Mode } from '../../reference/spec/reference-data/offices.ts';

export type StopRole = 'DEP' | 'TRA' | 'PASS' | 'DES';

export interface RouteStop {
  office: string;
  role: StopRole;
}

/** The leg from stop i to stop i+1. */
export interface RouteLeg {
  mode: Mode;
  /** Travel time range (uniform), hours. */
  hours: readonly [number, number];
  /** Median border or port dwell at the arriving stop, hours (lognormal, p95 ≈ 3 × median). */
  dwellHours: number;
  source: string;
}

/** Weekly rhythm of a route's lodgements. */
export type WeeklyPattern = 'road' | 'rail';

export interface Route {
  id: string;
  name: string;
  countryOfDispatch: string;
  countryOfDestination: string;
  /** Itinerary as declared: departure office's country first, destination's last. */
  countriesOfRouting: readonly string[];
  stops: readonly RouteStop[];
  legs: readonly RouteLeg[];
  weekly: WeeklyPattern;
  /** Share of movements in containers (the rest: trailers, wagons, tank wagons). */
  containerShare: number;
  /** Calendar labels the traffic shape applies (see traffic-shape.ts). */
  tags: readonly string[];
  /** CTDs per year in BASE_YEAR. */
  annualMovements: number;
  volumeSource: string;
}

export const BASE_YEAR = 2025;
/** Yearly growth of corridor traffic applied to every route when projecting to another year. */
export const ANNUAL_GROWTH = 0.12;
export const GROWTH_SOURCE =
  'corridor.md §5: TITR 4.5 Mt (2024) → 5.2 Mt forecast (2025), +15% [S12][S110]; Uzbek road shipments 300k (2018) → 1M (2025), ≈ +19%/yr [S51]; 12%/yr chosen below both [E]';

const dep = (office: string): RouteStop => ({ office, role: 'DEP' });
const tra = (office: string): RouteStop => ({ office, role: 'TRA' });
const pass = (office: string): RouteStop => ({ office, role: 'PASS' });
const des = (office: string): RouteStop => ({ office, role: 'DES' });
const leg = (mode: Mode, hours: readonly [number, number], dwellHours: number, source: string): RouteLeg => ({
  mode,
  hours,
  dwellHours,
  source,
});

// Recurring leg figures (corridor.md §3 per-leg defaults and §4 dwell table).
// The Caspian port wait (24-120 h) is the dwell at the port of loading; the leg is the crossing.
const CASPIAN_FERRY = leg('sea', [18, 30], 4, '§3 R1: Caspian crossing 18-24 h [E]; AZ avg dwell 4.3 h [S15]');
const ALAT_TO_GARDABANI = leg(
  'rail',
  [10, 16],
  22,
  '§3 R1 Alat→Poti 48 h [E]; rail gauge/border dwell ≈ 0.6 × KZ rail 69.7 h scaled to AZ [E]',
);
const GARDABANI_TO_POTI = leg('rail', [12, 24], 36, '§3 R1 Alat→Poti 48 h [E]; Poti port dwell 48-120 h [E]');
const KZ_RAIL_TO_AKTAU = leg(
  'rail',
  [72, 96],
  70,
  '§3 R1 border→Aktau 72-96 h [E]; port dwell incl. ferry wait 24-120 h, Kuryk out 69.7 h [S102][E]',
);
const ROAD_KZ_TO_KURYK = leg(
  'road',
  [60, 80],
  42,
  '§3 R3 Khorgos→Kuryk ≈ 3,000 km at 50 km/h less stops [E]; Kuryk dwell 69.7 h × 0.6 [S102]',
);
const ALAT_TO_RED_BRIDGE = leg(
  'road',
  [10, 18],
  8,
  '§3 R3 Alat→Ganja→Red Bridge ≈ 450 km, AZ 22 km/h incl. delays [S15]; Red Bridge out 13.6 h × 0.6 [S15]',
);
const RED_BRIDGE_TO_SARPI = leg(
  'road',
  [9, 14],
  12,
  '§3 R3 Red Bridge→Tbilisi→Batumi→Sarpi ≈ 450 km at 50 km/h [E]; GE delays in the Sarpi out dwell 20.8 h × 0.6 [S16]',
);
const IRKESHTAM_TO_DUSTLIK = leg(
  'road',
  [5, 7],
  1.5,
  '§3 R5 Irkeshtam→Sary-Tash→Osh→Dostuk ≈ 300 km mountain road, 920 km in 31 h to Tashkent [S26]; Dustlik ≈ 1.5 h [S26]',
);
const RED_BRIDGE_TO_POTI = leg('road', [6, 12], 24, 'Red Bridge→Poti ≈ 350 km at 50 km/h [E]; Poti port dwell [E]');
const RED_BRIDGE_CROSSING = leg('road', [0.5, 1], 2, 'Red Bridge AZ exit to GE entry; GE inbound dwell 1.6 h [S16]');

export const routes: readonly Route[] = [
  {
    id: 'R1-CN-POTI',
    name: 'TITR rail: China via Altynkol, Aktau and Alat to Poti',
    countryOfDispatch: 'CN',
    countryOfDestination: 'GE',
    countriesOfRouting: ['KZ', 'AZ', 'GE'],
    stops: [dep('KZ510300'), pass('KZ470100'), tra('AZ000100'), tra('GE069009'), des('GE000200')],
    legs: [KZ_RAIL_TO_AKTAU, CASPIAN_FERRY, ALAT_TO_GARDABANI, GARDABANI_TO_POTI],
    weekly: 'rail',
    containerShare: 0.95,
    tags: ['cn-origin'],
    annualMovements: 18_000,
    volumeSource:
      'TITR 2025 dry cargo 2.5 Mt ≈ 96,000 TEU [S12][S110] ≈ 48,000 FEU, one CTD per container; China-origin share 26% (Kazakh 74%) [S110]; 70% of it via Altynkol to Georgian ports [E]',
  },
  {
    id: 'R1-CN-CONSTANTA',
    name: 'TITR rail: China via Dostyk, Kuryk and Alat to Batumi, shipped on to Constanta',
    countryOfDispatch: 'CN',
    countryOfDestination: 'RO',
    countriesOfRouting: ['KZ', 'AZ', 'GE'],
    stops: [dep('KZ510200'), pass('KZ470200'), tra('AZ000100'), tra('GE069009'), des('GE000210')],
    legs: [
      KZ_RAIL_TO_AKTAU,
      CASPIAN_FERRY,
      ALAT_TO_GARDABANI,
      leg('rail', [12, 24], 72, '§3 R1 Alat→Batumi ≈ 48 h [E]; port dwell before the Black Sea crossing 48-120 h [E]'),
    ],
    weekly: 'rail',
    containerShare: 1,
    tags: ['cn-origin'],
    annualMovements: 8_000,
    volumeSource:
      'China-origin TITR containers (see R1-CN-POTI) continuing to the EU: 30% of 12,500 ≈ 4,000 plus Dostyk gate traffic [E]',
  },
  {
    id: 'R1-KZ-POTI',
    name: 'TITR rail: Kazakh exports from Almaty via Aktau and Alat to Poti',
    countryOfDispatch: 'KZ',
    countryOfDestination: 'GE',
    countriesOfRouting: ['KZ', 'AZ', 'GE'],
    stops: [dep('KZ000010'), pass('KZ470100'), tra('AZ000100'), tra('GE069009'), des('GE000200')],
    legs: [KZ_RAIL_TO_AKTAU, CASPIAN_FERRY, ALAT_TO_GARDABANI, GARDABANI_TO_POTI],
    weekly: 'rail',
    containerShare: 0.5,
    tags: ['kz-grain'],
    annualMovements: 55_000,
    volumeSource:
      'TITR 2025 dry cargo 2.5 Mt [S12]; Kazakh share 74% [S110] ≈ 1.85 Mt; at 22-65 t per CTD (container or wagon group) ≈ 55,000 CTDs [E]',
  },
  {
    id: 'R1-EAST',
    name: 'TITR rail eastbound: Poti via Alat and Aktau to Almaty',
    countryOfDispatch: 'TR',
    countryOfDestination: 'KZ',
    countriesOfRouting: ['GE', 'AZ', 'KZ'],
    stops: [dep('GE000200'), tra('AZ000220'), pass('AZ000100'), tra('KZ470100'), des('KZ000010')],
    legs: [
      leg('rail', [12, 24], 3, '§3 R1 Poti→Alat 48 h [E]; Georgia inbound dwell 1.6 h, AZ 4.3 h [S16][S15]'),
      leg('rail', [10, 16], 72, '§3 Alat port wait 3-4 days [S92][S93]'),
      leg('sea', [18, 24], 47, '§3 Caspian crossing 18-24 h; KZ rail inbound dwell 78 h × 0.6 [S17]'),
      leg('rail', [72, 96], 4, '§3 R1 Aktau→Almaty 72-96 h [E]'),
    ],
    weekly: 'rail',
    containerShare: 0.9,
    tags: [],
    annualMovements: 25_000,
    volumeSource:
      'Westbound 60-70% of declarations [E] (corridor.md §6): eastbound ≈ 30% of the 81,000 westbound rail CTDs [E]',
  },
  {
    id: 'R2-BTK',
    name: 'TITR rail via Baku-Tbilisi-Kars: Shymkent to Akhalkalaki, on to Istanbul',
    countryOfDispatch: 'KZ',
    countryOfDestination: 'TR',
    countriesOfRouting: ['KZ', 'AZ', 'GE'],
    stops: [dep('KZ580010'), pass('KZ470100'), tra('AZ000100'), tra('GE069009'), des('GE000310')],
    legs: [
      leg(
        'rail',
        [90, 110],
        70,
        '§3 R1 Shymkent→Aktau ≈ border→Aktau 72-96 h plus 1,000 km [E]; port and ferry wait [E]',
      ),
      CASPIAN_FERRY,
      ALAT_TO_GARDABANI,
      leg('rail', [6, 12], 24, '§3 R2 Tbilisi→Akhalkalaki; gauge change at Akhalkalaki [E]'),
    ],
    weekly: 'rail',
    containerShare: 0.6,
    tags: ['kz-grain'],
    annualMovements: 12_000,
    volumeSource:
      'BTK 432,284 t in 2022 [S83] at ~22 t per CTD ≈ 19,600; half attributed to Central Asian transit [E]; grown ×1.25 to 2025 [E]',
  },
  {
    id: 'R3-WEST',
    name: 'TITR road (TIR trucks): Nur Zholy via Kuryk, Alat and Red Bridge to Sarpi, on to Istanbul',
    countryOfDispatch: 'CN',
    countryOfDestination: 'TR',
    countriesOfRouting: ['KZ', 'AZ', 'GE'],
    stops: [dep('KZ510100'), pass('KZ470200'), tra('AZ000100'), pass('AZ000210'), tra('GE069002'), des('GE069301')],
    legs: [ROAD_KZ_TO_KURYK, CASPIAN_FERRY, ALAT_TO_RED_BRIDGE, RED_BRIDGE_CROSSING, RED_BRIDGE_TO_SARPI],
    weekly: 'road',
    containerShare: 0.15,
    tags: ['cn-origin', 'year-end'],
    annualMovements: 25_000,
    volumeSource:
      '150-250 corridor TIR trucks/day through Red Bridge and Sarp, both directions [E] (corridor.md §5) ≈ 73,000/yr; westbound 65% [E]; half of it China-origin via Nur Zholy [E]',
  },
  {
    id: 'R3-EAST',
    name: 'TITR road eastbound: Sarpi via Red Bridge, Alat and Kuryk to Almaty',
    countryOfDispatch: 'TR',
    countryOfDestination: 'KZ',
    countriesOfRouting: ['GE', 'AZ', 'KZ'],
    stops: [dep('GE069301'), tra('AZ000210'), pass('AZ000100'), tra('KZ470200'), des('KZ000010')],
    legs: [
      leg('road', [9, 14], 2, '§3 R3 Sarpi→Red Bridge ≈ 450 km [E]; AZ Red Bridge in 3.1 h × 0.6 [S15]'),
      leg('road', [10, 18], 72, '§3 Alat ferry wait 3-4 days [S92][S93]'),
      leg('sea', [18, 30], 3, '§3 ro-ro crossing [E]; KZ road dwell 4.2 h × 0.6 [S17]'),
      leg('road', [60, 80], 2, '§3 R3 Kuryk→Almaty ≈ 3,000 km [E]'),
    ],
    weekly: 'road',
    containerShare: 0.1,
    tags: ['year-end'],
    annualMovements: 15_000,
    volumeSource: 'Eastbound 35% of ≈ 73,000 corridor TIR trucks/yr [E]; 60% of that continues to Kazakhstan [E]',
  },
  {
    id: 'GE-TR-AZ',
    name: 'Georgian road transit: Sarpi via Red Bridge to Baku',
    countryOfDispatch: 'TR',
    countryOfDestination: 'AZ',
    countriesOfRouting: ['GE', 'AZ'],
    stops: [dep('GE069301'), tra('AZ000210'), des('AZ000010')],
    legs: [
      leg('road', [9, 14], 2, '§3 R3 Sarpi→Red Bridge ≈ 450 km at 50 km/h [E]; AZ in 3.1 h × 0.6 [S15]'),
      leg('road', [9, 14], 1, 'Red Bridge→Baku ≈ 450 km [E]'),
    ],
    weekly: 'road',
    containerShare: 0.1,
    tags: ['year-end'],
    annualMovements: 20_000,
    volumeSource: 'Sarpi inbound ≈ 503 trucks/day (Dec 2024) [S81]; ≈ 11% of them in transit to Azerbaijan [E]',
  },
  {
    id: 'GE-POTI-AZ',
    name: 'Georgian road transit: Poti port via Red Bridge to Baku',
    countryOfDispatch: 'CN',
    countryOfDestination: 'AZ',
    countriesOfRouting: ['GE', 'AZ'],
    stops: [dep('GE000200'), tra('AZ000210'), des('AZ000010')],
    legs: [
      leg('road', [6, 12], 2, 'Poti→Red Bridge ≈ 350 km at 50 km/h [E]; AZ in 3.1 h × 0.6 [S15]'),
      leg('road', [9, 14], 1, 'Red Bridge→Baku ≈ 450 km [E]'),
    ],
    weekly: 'road',
    containerShare: 0.9,
    tags: ['year-end'],
    annualMovements: 30_000,
    volumeSource: 'Poti 636,000 containers in 2025 [S79]; ≈ 5% in road transit to Azerbaijan [E]',
  },
  {
    id: 'AZ-ALAT-TR',
    name: 'Caspian ro-ro onward: Alat (from Turkmenbashi) via Red Bridge to Sarpi, on to Istanbul',
    countryOfDispatch: 'TM',
    countryOfDestination: 'TR',
    countriesOfRouting: ['AZ', 'GE'],
    stops: [dep('AZ000100'), pass('AZ000210'), tra('GE069002'), des('GE069301')],
    legs: [ALAT_TO_RED_BRIDGE, RED_BRIDGE_CROSSING, RED_BRIDGE_TO_SARPI],
    weekly: 'road',
    containerShare: 0.1,
    tags: ['year-end'],
    annualMovements: 15_000,
    volumeSource:
      'Baku port ferried 39,431 trucks in 2021, 59.5% on the Turkmenbashi line [S77] ≈ 23,500; two thirds of them onward to Georgia and Türkiye [E]',
  },
  {
    id: 'AZ-BAKU-POTI',
    name: 'Azerbaijani exports: Baku via Red Bridge to Poti',
    countryOfDispatch: 'AZ',
    countryOfDestination: 'GE',
    countriesOfRouting: ['AZ', 'GE'],
    stops: [dep('AZ000010'), pass('AZ000210'), tra('GE069002'), des('GE000200')],
    legs: [
      leg('road', [9, 14], 8, 'Baku→Red Bridge ≈ 450 km [E]; Red Bridge out 13.6 h × 0.6 [S15]'),
      leg('road', [0.5, 1], 1, 'Red Bridge AZ exit to GE entry; GE inbound 1.6 h [S16]'),
      RED_BRIDGE_TO_POTI,
    ],
    weekly: 'road',
    containerShare: 0.4,
    tags: ['nowruz'],
    annualMovements: 12_000,
    volumeSource:
      'Red Bridge ≈ 300 trucks/day processed (2022) [S19]; ≈ 11% Azerbaijani exports under transit to Poti [E]',
  },
  {
    id: 'R4-SOUTH',
    name: 'Southern branch: Irkeshtam via Dustlik to the Alat (UZ) exit, on via Farap and Turkmenbashi',
    countryOfDispatch: 'CN',
    countryOfDestination: 'GE',
    countriesOfRouting: ['KG', 'UZ'],
    stops: [dep('KG000120'), pass('KG000140'), tra('UZ000120'), des('UZ000140')],
    legs: [
      IRKESHTAM_TO_DUSTLIK,
      leg('road', [1, 2], 1.5, '§3 R5 Dustlik ≈ 1.5 h [S26]'),
      leg('road', [24, 36], 2.3, '§3 R4 Andijan→Tashkent→Bukhara→Alat ≈ 1,100 km [E]; Alat UZ out 3.9 h × 0.6 [S104]'),
    ],
    weekly: 'road',
    containerShare: 0.6,
    tags: ['cn-origin', 'kg-cn-border'],
    annualMovements: 2_000,
    volumeSource:
      'Turkmenbashi–Alat feeder 2,362 TEU in H1 2023, 41% transit [S75] ≈ 1,940 TEU/yr transit ≈ 1,000 CTDs, doubled for road ro-ro [E]',
  },
  {
    id: 'R4-SOUTH-AZ',
    name: 'Southern branch onward: Alat (ferry from Turkmenbashi) via Red Bridge to Poti',
    countryOfDispatch: 'CN',
    countryOfDestination: 'GE',
    countriesOfRouting: ['AZ', 'GE'],
    stops: [dep('AZ000100'), pass('AZ000210'), tra('GE069002'), des('GE000200')],
    legs: [ALAT_TO_RED_BRIDGE, RED_BRIDGE_CROSSING, RED_BRIDGE_TO_POTI],
    weekly: 'road',
    containerShare: 0.6,
    tags: ['cn-origin'],
    annualMovements: 2_000,
    volumeSource: 'The R4-SOUTH trucks, declared again at Alat after the Turkmen leg and the Caspian ferry [S75][E]',
  },
  {
    id: 'R5-KG-UZ',
    name: 'China–Kyrgyzstan–Uzbekistan: Irkeshtam via Dostuk/Dustlik to Tashkent',
    countryOfDispatch: 'CN',
    countryOfDestination: 'UZ',
    countriesOfRouting: ['KG', 'UZ'],
    stops: [dep('KG000120'), pass('KG000140'), tra('UZ000120'), des('UZ000010')],
    legs: [
      IRKESHTAM_TO_DUSTLIK,
      leg('road', [0.5, 1], 1.5, 'Dostuk KG exit to Dustlik UZ entry ≈ 1.5 h [S26]'),
      leg('road', [6, 8], 1, 'Andijan→Tashkent ≈ 350 km [E]'),
    ],
    weekly: 'road',
    containerShare: 0.2,
    tags: ['cn-origin', 'kg-cn-border'],
    annualMovements: 65_000,
    volumeSource:
      'Irkeshtam ≈ 650 vehicles/day (Jan-Jun 2025) [S62] ≈ 237,000/yr; 60% laden inbound, 45% of those in transit to Uzbekistan [E]',
  },
  {
    id: 'R5-KG-OSH',
    name: 'China–Kyrgyzstan: Irkeshtam to Osh',
    countryOfDispatch: 'CN',
    countryOfDestination: 'KG',
    countriesOfRouting: ['KG'],
    stops: [dep('KG000120'), des('KG000020')],
    legs: [leg('road', [4, 6], 0.5, '§3 R5 Irkeshtam→Sary-Tash→Osh ≈ 250 km mountain road [S26]')],
    weekly: 'road',
    containerShare: 0.1,
    tags: ['cn-origin', 'kg-cn-border'],
    annualMovements: 40_000,
    volumeSource: 'Irkeshtam ≈ 237,000 vehicles/yr [S62]; ≈ 30% of laden inbound trucks cleared inland at Osh [E]',
  },
  {
    id: 'R5-TORUGART',
    name: 'China–Kyrgyzstan: Torugart to Bishkek',
    countryOfDispatch: 'CN',
    countryOfDestination: 'KG',
    countriesOfRouting: ['KG'],
    stops: [dep('KG000110'), des('KG000010')],
    legs: [leg('road', [8, 12], 0.8, 'Torugart→Naryn→Bishkek ≈ 540 km [E]; KG dwell 1.3 h × 0.6 [S103]')],
    weekly: 'road',
    containerShare: 0.1,
    tags: ['cn-origin', 'kg-cn-border'],
    annualMovements: 35_000,
    volumeSource: 'No published count for Torugart; ≈ 100 laden trucks/day assumed, half Irkeshtam inland flow [E]',
  },
  {
    id: 'R5-QTTA',
    name: 'Quadrilateral agreement road: Torugart via Ak-Zhol/Kordai to Almaty',
    countryOfDispatch: 'CN',
    countryOfDestination: 'KZ',
    countriesOfRouting: ['KG', 'KZ'],
    // Ak-Zhol–Kordai is the internal EAEU border: passed, not declared.
    stops: [dep('KG000110'), pass('KG000130'), pass('KZ310100'), des('KZ000010')],
    legs: [
      leg('road', [8, 12], 0.8, 'Torugart→Bishkek→Ak-Zhol [S97]; KG dwell 1.3 h [S103]'),
      leg('road', [0.3, 1], 0.5, 'Ak-Zhol KG to Kordai KZ: no customs control inside the EAEU [E]'),
      leg('road', [4, 6], 1, 'Kordai→Almaty ≈ 250 km [E]'),
    ],
    weekly: 'road',
    containerShare: 0.1,
    tags: ['cn-origin', 'kg-cn-border'],
    annualMovements: 8_000,
    volumeSource: 'QTTA route used by TIR from Lahore/Kashgar [S97]; ≈ 22 trucks/day [E]',
  },
  {
    id: 'R6-KZ',
    name: 'China–Kazakhstan road: Nur Zholy (Khorgos) to Almaty',
    countryOfDispatch: 'CN',
    countryOfDestination: 'KZ',
    countriesOfRouting: ['KZ'],
    stops: [dep('KZ510100'), des('KZ000010')],
    legs: [leg('road', [6, 8], 1, 'Khorgos→Almaty ≈ 350 km at 50 km/h [S17]')],
    weekly: 'road',
    containerShare: 0.2,
    tags: ['cn-origin'],
    annualMovements: 100_000,
    volumeSource:
      'Nur Zholy 700-750 trucks/day (Nov 2025) [S21] ≈ 270,000/yr; half laden inbound, ≈ 75% of those cleared inland [E]',
  },
  {
    id: 'R6-UZ',
    name: 'China–Central Asia via Kazakhstan: Nur Zholy via Zhibek Zholy to Tashkent',
    countryOfDispatch: 'CN',
    countryOfDestination: 'UZ',
    countriesOfRouting: ['KZ', 'UZ'],
    stops: [dep('KZ510100'), pass('KZ580100'), tra('UZ000110'), des('UZ000010')],
    legs: [
      leg(
        'road',
        [18, 24],
        2.5,
        '§3 R6 Khorgos→Almaty→Shymkent→Zhibek Zholy ≈ 1,100 km [E]; UZ road dwell 4.2 h × 0.6 [S104]',
      ),
      leg('road', [0.3, 1], 2.5, 'Zhibek Zholy KZ exit to Gisht-Kuprik UZ entry [S65]'),
      leg('road', [1, 2], 1, 'Gisht-Kuprik→Tashkent ≈ 20 km [E]'),
    ],
    weekly: 'road',
    containerShare: 0.2,
    tags: ['cn-origin'],
    annualMovements: 25_000,
    volumeSource: 'Nur Zholy laden inbound ≈ 135,000/yr [S21][E]; ≈ 18% continues to Uzbekistan [E]',
  },
  {
    id: 'UZ-KZ-PRODUCE',
    name: 'Uzbek produce to Kazakhstan: Tashkent via Gisht-Kuprik/Zhibek Zholy to Almaty',
    countryOfDispatch: 'UZ',
    countryOfDestination: 'KZ',
    countriesOfRouting: ['UZ', 'KZ'],
    stops: [dep('UZ000010'), pass('UZ000110'), tra('KZ580100'), des('KZ000010')],
    legs: [
      leg('road', [1, 2], 2.5, 'Tashkent→Gisht-Kuprik [E]; UZ road dwell 4.2 h × 0.6 [S104]'),
      leg('road', [0.3, 1], 2.5, 'Gisht-Kuprik UZ exit to Zhibek Zholy KZ entry; KZ road 4.2 h × 0.6 [S17]'),
      leg('road', [14, 18], 1, 'Shymkent→Almaty ≈ 700 km [E]'),
    ],
    weekly: 'road',
    containerShare: 0.05,
    tags: ['uz-produce', 'nowruz', 'eid'],
    annualMovements: 60_000,
    volumeSource:
      '≈ 1 million Uzbek export/import/transit road shipments in 2025 [S51]; ≈ 6% Uzbek exports to Kazakhstan under transit [E]',
  },
  {
    id: 'UZ-KG-EAST',
    name: 'Uzbek exports to China: Andijan via Dustlik/Dostuk to Irkeshtam',
    countryOfDispatch: 'UZ',
    countryOfDestination: 'CN',
    countriesOfRouting: ['UZ', 'KG'],
    stops: [dep('UZ000030'), pass('UZ000120'), tra('KG000140'), des('KG000120')],
    legs: [
      leg('road', [1, 2], 1.5, 'Andijan→Dustlik [E]; Dustlik ≈ 1.5 h [S26]'),
      leg('road', [0.5, 1], 0.8, 'Dustlik UZ exit to Dostuk KG entry; KG 1.3 h [S103]'),
      leg('road', [5, 7], 2, 'Osh→Sary-Tash→Irkeshtam ≈ 300 km [S26]'),
    ],
    weekly: 'road',
    containerShare: 0.1,
    tags: ['uz-produce', 'kg-cn-border', 'nowruz', 'eid'],
    annualMovements: 25_000,
    volumeSource:
      'Irkeshtam ≈ 237,000 vehicles/yr [S62]; outbound laden ≈ 10% of it, Uzbek cotton and produce to China [S118][E]',
  },
  {
    id: 'R7-TRANS-AFGHAN',
    name: 'Trans-Afghan: Tashkent to the Ayritom (Termez) exit, on via Hairatan, Kabul and Torkham to Karachi',
    countryOfDispatch: 'UZ',
    countryOfDestination: 'PK',
    countriesOfRouting: ['UZ'],
    stops: [dep('UZ000010'), des('UZ000130')],
    legs: [leg('road', [10, 16], 2.5, '§3 R7 Tashkent→Termez ≈ 700 km [E]; UZ road out 4.2 h × 0.6 [S104]')],
    weekly: 'road',
    containerShare: 0.2,
    tags: ['nowruz', 'eid', 'pk-af-border'],
    annualMovements: 6_000,
    volumeSource:
      'First trans-Afghan transit 2022 [S98]; ≈ 16 trucks/day assumed [E]; Pakistan–Afghanistan crossings closed from 13 Oct 2025 [S89] (the model assumes they reopen)',
  },
  {
    id: 'R7-TRANS-AFGHAN-PK',
    name: 'Trans-Afghan onward: Torkham (from Afghanistan) via Peshawar to Karachi',
    countryOfDispatch: 'UZ',
    countryOfDestination: 'PK',
    countriesOfRouting: ['PK'],
    stops: [dep('PK000110'), des('PK000010')],
    legs: [
      leg(
        'road',
        [30, 40],
        2,
        '§3 R7 Torkham→Peshawar→Karachi ≈ 1,600 km; 2,760 km Tashkent–Karachi in about one week [S98]; port gate [E]',
      ),
    ],
    weekly: 'road',
    containerShare: 0.2,
    tags: ['nowruz', 'eid', 'pk-af-border'],
    annualMovements: 6_000,
    volumeSource: 'The R7-TRANS-AFGHAN trucks, declared again at Torkham after the Afghan leg [S98][E]',
  },
  {
    id: 'R7-NORTH',
    name: 'Trans-Afghan northbound: Karachi to the Torkham exit, on via Kabul and Hairatan to Tashkent',
    countryOfDispatch: 'PK',
    countryOfDestination: 'UZ',
    countriesOfRouting: ['PK'],
    stops: [dep('PK000010'), des('PK000110')],
    legs: [leg('road', [30, 40], 20, 'Karachi→Torkham ≈ 1,600 km [E]; PK out 33.1 h × 0.6 [S30]')],
    weekly: 'road',
    containerShare: 0.2,
    tags: ['eid', 'pk-af-border'],
    annualMovements: 4_000,
    volumeSource: 'Two thirds of the southbound flow [E]',
  },
  {
    id: 'R7-NORTH-UZ',
    name: 'Trans-Afghan northbound onward: Ayritom (Termez, from Hairatan) to Tashkent',
    countryOfDispatch: 'PK',
    countryOfDestination: 'UZ',
    countriesOfRouting: ['UZ'],
    stops: [dep('UZ000130'), des('UZ000010')],
    legs: [leg('road', [10, 16], 1, 'Termez→Tashkent ≈ 700 km [E]')],
    weekly: 'road',
    containerShare: 0.2,
    tags: ['eid', 'pk-af-border'],
    annualMovements: 4_000,
    volumeSource: 'The R7-NORTH trucks, declared again at Ayritom after the Afghan leg [E]',
  },
  {
    id: 'PK-ATT-TORKHAM',
    name: 'Afghan transit trade: Port Qasim to the Torkham exit',
    countryOfDispatch: 'CN',
    countryOfDestination: 'AF',
    countriesOfRouting: ['PK'],
    stops: [dep('PK000020'), des('PK000110')],
    legs: [leg('road', [30, 40], 20, 'Karachi→Peshawar→Torkham ≈ 1,600 km [E]; PK out dwell 33.1 h × 0.6 [S30]')],
    weekly: 'road',
    containerShare: 0.9,
    tags: ['eid', 'pk-af-border'],
    annualMovements: 60_000,
    volumeSource:
      'Torkham > 1,000 trucks/day (2022) [S87][S88] ≈ 365,000/yr; ≈ 16% Afghan transit trade from the Karachi ports [E]; closed from Oct 2025 [S89]',
  },
  {
    id: 'PK-ATT-CHAMAN',
    name: 'Afghan transit trade: Karachi to the Chaman exit',
    countryOfDispatch: 'CN',
    countryOfDestination: 'AF',
    countriesOfRouting: ['PK'],
    stops: [dep('PK000010'), des('PK000130')],
    legs: [leg('road', [16, 24], 32, 'Karachi→Quetta→Chaman ≈ 800 km [E]; Chaman dwell 54.0 h × 0.6 [S30]')],
    weekly: 'road',
    containerShare: 0.9,
    tags: ['eid', 'pk-af-border'],
    annualMovements: 30_000,
    volumeSource: 'Half the Torkham ATT flow [E]; closed from Oct 2025 [S89]',
  },
  {
    id: 'R8-CPEC',
    name: 'CPEC / Karakoram: Sost (Khunjerab) to Islamabad',
    countryOfDispatch: 'CN',
    countryOfDestination: 'PK',
    countriesOfRouting: ['PK'],
    stops: [dep('PK000120'), des('PK000040')],
    legs: [leg('road', [12, 18], 2, '§3 R8 Kashgar→Islamabad ≈ 1,200 km, ~3 days [S99]; Sost→Islamabad ≈ 600 km [E]')],
    weekly: 'road',
    containerShare: 0.1,
    tags: ['cn-origin'],
    annualMovements: 8_000,
    volumeSource:
      'Khunjerab year-round since 1 Dec 2024 [S29][S86]; ≈ 22 trucks/day [E] (TIR example 5 trucks, 79 t [S99])',
  },
  {
    id: 'R11-UZ-CASPIAN',
    name: 'Uzbek exports to Europe: Navoi by road to the Alat (UZ) exit, on via Farap and Turkmenbashi',
    countryOfDispatch: 'UZ',
    countryOfDestination: 'GE',
    countriesOfRouting: ['UZ'],
    stops: [dep('UZ000020'), des('UZ000140')],
    legs: [leg('road', [3, 6], 2.3, 'Navoi→Alat UZ ≈ 250 km [E]; Alat UZ out 3.9 h × 0.6 [S104]')],
    weekly: 'road',
    containerShare: 0.7,
    tags: ['nowruz'],
    annualMovements: 4_000,
    volumeSource: 'Copper from Almalyk/Navoi via Turkmenbashi, first shipment 2022 [S101]; ≈ 11 trucks/day [E]',
  },
  {
    id: 'R11-AZ-GE',
    name: 'Uzbek exports onward: Alat (ferry from Turkmenbashi) by rail via Gardabani to Poti',
    countryOfDispatch: 'UZ',
    countryOfDestination: 'GE',
    countriesOfRouting: ['AZ', 'GE'],
    stops: [dep('AZ000100'), tra('GE069009'), des('GE000200')],
    legs: [ALAT_TO_GARDABANI, GARDABANI_TO_POTI],
    weekly: 'rail',
    containerShare: 0.7,
    tags: ['nowruz'],
    annualMovements: 4_000,
    volumeSource: 'The R11-UZ-CASPIAN copper, declared again at Alat after the Turkmen leg and the ferry [S101][E]',
  },
];

export const routeById: ReadonlyMap<string, Route> = new Map(routes.map((r) => [r.id, r]));

/** Annual CTDs of a route projected to `year` at ANNUAL_GROWTH. */
export function projectedAnnualMovements(route: Route, year: number): number {
  return route.annualMovements * (1 + ANNUAL_GROWTH) ** (year - BASE_YEAR);
}

/** The office the CTD is lodged at (the route's DEP stop). */
export function departureOffice(route: Route): string {
  return route.stops[0]!.office;
}
