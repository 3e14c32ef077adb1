// Commodities carried on the corridor, for the goods items of generated CTDs:
// HS 6-digit subheadings with descriptions, how they travel (container,
// trailer, wagon), mass per unit and per package, value per tonne, how many
// goods items a declaration of them carries, and how often each country of
// dispatch ships them. Figures from ../shared/domain/corridor.md §6 ([S#]
// sources, [E] estimates); the weights follow its suggested mix (30 % agri and
// food, 20 % metals, 15 % machinery and vehicles, 10 % textiles, 10 %
// chemicals, fertilisers and polymers, 10 % consumer goods and electronics,
// 5 % building materials), shifted per country towards the flows it names.

export type CommodityGroup =
  | 'agri-food'
  | 'metals'
  | 'machinery-vehicles'
  | 'textiles'
  | 'chemicals'
  | 'consumer-electronics'
  | 'building'
  | 'energy';

/** How many goods items a CTD of this commodity carries (see goods.ts for the distributions). */
export type ItemsClass = 'bulk' | 'general' | 'mixed';

export interface Subheading {
  hs: string;
  description: string;
}

export interface Packaging {
  /** UN/ECE Recommendation 21 code. */
  type: string;
  /** Net kg per package; 0 for goods in bulk (no package count). */
  kgPerPackage: number;
  /** Packaging and tare as a share of net mass. */
  tare: number;
}

export interface Commodity {
  id: string;
  group: CommodityGroup;
  subheadings: readonly Subheading[];
  /** Net tonnes per container (undefined: not containerised). */
  container?: { size: 20 | 40; tonnes: readonly [number, number] };
  /** Net tonnes per truck trailer (undefined: not carried by road). */
  trailer?: readonly [number, number];
  /** Net tonnes per rail wagon (undefined: not carried in wagons). */
  wagon?: readonly [number, number];
  usdPerTonne: readonly [number, number];
  packaging: Packaging;
  items: ItemsClass;
  /** Relative weight per country of dispatch. */
  origins: Readonly<Record<string, number>>;
  source: string;
}

const bulk = (type = 'VR'): Packaging => ({ type, kgPerPackage: 0, tare: 0 });

export const commodities: readonly Commodity[] = [
  {
    id: 'wheat',
    group: 'agri-food',
    subheadings: [
      { hs: '100199', description: 'Wheat, other than durum, not for sowing' },
      { hs: '100119', description: 'Durum wheat, not for sowing' },
    ],
    container: { size: 20, tonnes: [23, 26] },
    wagon: [63, 69],
    trailer: [20, 24],
    usdPerTonne: [230, 280],
    packaging: bulk(),
    items: 'bulk',
    origins: { KZ: 22 },
    source: '§6: wagon 65 t / 20ft 24 t, USD 230-280/t; KZ→AZ/GE/TR [S117][S74]',
  },
  {
    id: 'pulses',
    group: 'agri-food',
    subheadings: [
      { hs: '071340', description: 'Lentils, dried, shelled' },
      { hs: '071320', description: 'Chickpeas, dried, shelled' },
    ],
    container: { size: 20, tonnes: [22, 25] },
    trailer: [19, 21],
    usdPerTonne: [500, 800],
    packaging: { type: 'BG', kgPerPackage: 50, tare: 0.005 },
    items: 'bulk',
    origins: { KZ: 6, UZ: 3 },
    source: '§6: 20ft 24 t / truck 20 t, USD 500-800/t; KZ→TR/EU, UZ→CN [S117][S118]',
  },
  {
    id: 'fresh-produce',
    group: 'agri-food',
    subheadings: [
      { hs: '070200', description: 'Tomatoes, fresh or chilled' },
      { hs: '070310', description: 'Onions and shallots, fresh or chilled' },
      { hs: '080610', description: 'Grapes, fresh' },
      { hs: '080810', description: 'Apples, fresh' },
      { hs: '080930', description: 'Peaches and nectarines, fresh' },
      { hs: '080521', description: 'Mandarins, fresh' },
      { hs: '070320', description: 'Garlic, fresh or chilled' },
    ],
    container: { size: 40, tonnes: [18, 22] },
    trailer: [18, 20],
    usdPerTonne: [400, 1200],
    packaging: { type: 'CR', kgPerPackage: 12, tare: 0.08 },
    items: 'general',
    origins: { UZ: 26, TR: 8, PK: 14, AZ: 6, CN: 8 },
    source:
      '§6: reefer truck 18-20 t, USD 400-1,200/t; UZ→KZ, AF→PK; CPMM top item 29.4% [S14][S66]; Chinese garlic and fruit to Central Asia [E]',
  },
  {
    id: 'dried-fruit',
    group: 'agri-food',
    subheadings: [
      { hs: '081310', description: 'Apricots, dried' },
      { hs: '080620', description: 'Grapes, dried (raisins)' },
    ],
    container: { size: 20, tonnes: [18, 20] },
    trailer: [18, 20],
    usdPerTonne: [1800, 3000],
    packaging: { type: 'CT', kgPerPackage: 10, tare: 0.05 },
    items: 'general',
    origins: { UZ: 6 },
    source: 'Uzbek dried fruit exports, grapes in Aug-Oct [S129]; value per tonne [E]',
  },
  {
    id: 'tomato-paste',
    group: 'agri-food',
    subheadings: [{ hs: '200290', description: 'Tomatoes prepared or preserved, other than whole (paste)' }],
    container: { size: 20, tonnes: [21, 23] },
    usdPerTonne: [900, 1100],
    packaging: { type: 'DR', kgPerPackage: 220, tare: 0.04 },
    items: 'bulk',
    origins: { CN: 3 },
    source: '§6: 20ft 22 t, USD 900-1,100/t; CN→S. Europe/TR [S117]',
  },
  {
    id: 'ferroalloys',
    group: 'metals',
    subheadings: [
      { hs: '720241', description: 'Ferro-chromium, containing by weight more than 4 % carbon' },
      { hs: '720221', description: 'Ferro-silicon, containing by weight more than 55 % silicon' },
    ],
    container: { size: 20, tonnes: [23, 26] },
    wagon: [60, 68],
    usdPerTonne: [1100, 1500],
    packaging: { type: 'JB', kgPerPackage: 1000, tare: 0.003 },
    items: 'bulk',
    origins: { KZ: 14 },
    source: '§6: 20ft 24 t / wagon 65 t, USD 1,100-1,500/t; KZ→EU [S117][S106]',
  },
  {
    id: 'copper-zinc',
    group: 'metals',
    subheadings: [
      { hs: '740311', description: 'Refined copper cathodes and sections of cathodes' },
      { hs: '790111', description: 'Unwrought zinc, not alloyed, containing 99.99 % or more zinc' },
    ],
    container: { size: 20, tonnes: [23, 26] },
    wagon: [60, 66],
    trailer: [20, 22],
    usdPerTonne: [2500, 9800],
    packaging: { type: 'BE', kgPerPackage: 2500, tare: 0.002 },
    items: 'bulk',
    origins: { KZ: 9, UZ: 8 },
    source: '§6: 20ft 24 t; copper USD 8,500-9,800/t, zinc 2,500-2,900/t; KZ, UZ (Almalyk)→TR/EU [S101][S119]',
  },
  {
    id: 'aluminium',
    group: 'metals',
    subheadings: [{ hs: '760110', description: 'Unwrought aluminium, not alloyed' }],
    container: { size: 20, tonnes: [23, 25] },
    wagon: [60, 66],
    usdPerTonne: [2300, 2600],
    packaging: { type: 'BE', kgPerPackage: 1000, tare: 0.002 },
    items: 'bulk',
    origins: { KZ: 5, AZ: 3 },
    source: '§6: 20ft 24 t, USD 2,300-2,600/t; KZ→EU [E]',
  },
  {
    id: 'steel-pipes',
    group: 'metals',
    subheadings: [
      { hs: '730419', description: 'Line pipe of iron or steel, seamless, for oil or gas pipelines' },
      { hs: '730630', description: 'Tubes and pipes of iron or non-alloy steel, welded, of circular cross-section' },
    ],
    container: { size: 40, tonnes: [18, 22] },
    wagon: [55, 62],
    trailer: [20, 22],
    usdPerTonne: [800, 1300],
    packaging: { type: 'BE', kgPerPackage: 2000, tare: 0.001 },
    items: 'general',
    origins: { CN: 5 },
    source: "§6: 40ft / flatcar 20 t, USD 800-1,300/t; CN→AZ (Xi'an train) [S2]",
  },
  {
    id: 'fertilisers',
    group: 'chemicals',
    subheadings: [
      { hs: '310210', description: 'Urea, whether or not in aqueous solution' },
      { hs: '310230', description: 'Ammonium nitrate' },
      { hs: '310520', description: 'Mineral or chemical fertilisers containing nitrogen, phosphorus and potassium' },
    ],
    container: { size: 20, tonnes: [22, 25] },
    wagon: [63, 69],
    trailer: [21, 23],
    usdPerTonne: [300, 400],
    packaging: { type: 'JB', kgPerPackage: 1000, tare: 0.004 },
    items: 'bulk',
    origins: { KZ: 9, UZ: 5, TM: 6 },
    source: '§6: wagon 65 t / truck 22 t, USD 300-400/t (urea ~$385 CFR Q4 2024) [S110][S74][S120]',
  },
  {
    id: 'polymers',
    group: 'chemicals',
    subheadings: [
      { hs: '390110', description: 'Polyethylene having a specific gravity of less than 0.94, in primary forms' },
      { hs: '390210', description: 'Polypropylene, in primary forms' },
    ],
    container: { size: 40, tonnes: [22, 25] },
    trailer: [21, 23],
    usdPerTonne: [1000, 1300],
    packaging: { type: 'BG', kgPerPackage: 25, tare: 0.004 },
    items: 'bulk',
    origins: { KZ: 2, UZ: 3, CN: 2, TM: 10, AZ: 10 },
    source:
      '§6: truck / 40ft 22 t, USD 1,000-1,300/t; TM (Kiyanly), KZ→TR/EU [S74]; Azerbaijani polymers (Sumqayit) [E]',
  },
  {
    id: 'chemicals',
    group: 'chemicals',
    subheadings: [
      { hs: '281511', description: 'Sodium hydroxide (caustic soda), solid' },
      { hs: '290511', description: 'Methanol (methyl alcohol)' },
      { hs: '380893', description: 'Herbicides, anti-sprouting products and plant-growth regulators' },
      { hs: '320890', description: 'Paints and varnishes based on synthetic polymers, in a non-aqueous medium' },
    ],
    container: { size: 20, tonnes: [18, 22] },
    trailer: [18, 22],
    usdPerTonne: [500, 2500],
    packaging: { type: 'DR', kgPerPackage: 200, tare: 0.05 },
    items: 'general',
    origins: { CN: 6, TR: 10, PK: 4 },
    source: '§6: 20ft 20 t, USD 500-2,500/t; CN→TR/EU; KZ imports [S117][S122]',
  },
  {
    id: 'oil-products',
    group: 'energy',
    subheadings: [
      { hs: '271019', description: 'Medium and heavy petroleum oils and preparations (gas oil, fuel oil)' },
      { hs: '271311', description: 'Petroleum coke, not calcined' },
    ],
    wagon: [58, 65],
    usdPerTonne: [150, 700],
    packaging: bulk('VL'),
    items: 'bulk',
    origins: { KZ: 8 },
    source: '§6: tank wagon 60 t, USD 500-700/t; petroleum coke wagon 65 t, USD 150-300/t; KZ→AZ/GE [S12][S117][S74]',
  },
  {
    id: 'cotton',
    group: 'textiles',
    subheadings: [
      { hs: '520100', description: 'Cotton, not carded or combed' },
      { hs: '520512', description: 'Single cotton yarn of uncombed fibres, 232.56-714.29 decitex' },
    ],
    container: { size: 40, tonnes: [19, 21] },
    trailer: [19, 21],
    usdPerTonne: [1600, 3200],
    packaging: { type: 'BL', kgPerPackage: 220, tare: 0.01 },
    items: 'bulk',
    origins: { UZ: 14, PK: 8, TM: 4, AZ: 3 },
    source: '§6: truck / 40ft 20 t; lint USD 1,600-1,800/t (75 c/lb [S121]), yarn 2,500-3,200/t; UZ→CN, TR [S118][S87]',
  },
  {
    id: 'garments',
    group: 'textiles',
    subheadings: [
      { hs: '610910', description: 'T-shirts, singlets and other vests of cotton, knitted' },
      { hs: '611020', description: 'Jerseys, pullovers and cardigans of cotton, knitted' },
      { hs: '620342', description: "Men's or boys' trousers and shorts of cotton" },
      { hs: '630231', description: 'Bed linen of cotton, not printed' },
      { hs: '620462', description: "Women's or girls' trousers and shorts of cotton" },
    ],
    container: { size: 40, tonnes: [8, 12] },
    trailer: [8, 12],
    usdPerTonne: [8000, 15000],
    packaging: { type: 'CT', kgPerPackage: 15, tare: 0.06 },
    items: 'general',
    origins: { CN: 10, UZ: 16, TR: 12, PK: 22 },
    source: '§6: truck / 40ft 8-12 t, USD 8,000-15,000/t; UZ, CN; CPMM 9.3% of samples [S14]',
  },
  {
    id: 'machinery',
    group: 'machinery-vehicles',
    subheadings: [
      { hs: '842951', description: 'Front-end shovel loaders, self-propelled' },
      { hs: '843143', description: 'Parts of boring or sinking machinery' },
      { hs: '847989', description: 'Machines and mechanical appliances having individual functions, n.e.s.' },
      { hs: '850152', description: 'AC motors, multi-phase, of an output 750 W-75 kW' },
      { hs: '841370', description: 'Centrifugal pumps' },
      { hs: '850440', description: 'Static converters' },
    ],
    container: { size: 40, tonnes: [8, 15] },
    trailer: [8, 15],
    wagon: [30, 45],
    usdPerTonne: [5000, 15000],
    packaging: { type: 'CS', kgPerPackage: 400, tare: 0.08 },
    items: 'general',
    origins: { CN: 15, TR: 12 },
    source: '§6: 40ft / truck 8-15 t, USD 5,000-15,000/t; CN→CA/EU; CPMM 16.9% [S14][S117]',
  },
  {
    id: 'passenger-cars',
    group: 'machinery-vehicles',
    subheadings: [
      { hs: '870380', description: 'Motor cars with only an electric motor for propulsion' },
      { hs: '870322', description: 'Motor cars with spark-ignition engine, 1,000-1,500 cc' },
      { hs: '870360', description: 'Motor cars, plug-in hybrid with spark-ignition engine' },
    ],
    trailer: [9, 12],
    wagon: [15, 20],
    usdPerTonne: [10000, 20000],
    packaging: { type: 'NE', kgPerPackage: 1500, tare: 0 },
    items: 'general',
    origins: { CN: 6 },
    source: '§6: car carrier 6-8 cars of 1.5 t, USD 10,000-20,000/t; Horgos ≈ 500 commercial vehicles/day [S58]',
  },
  {
    id: 'auto-parts',
    group: 'machinery-vehicles',
    subheadings: [
      { hs: '870899', description: 'Other parts and accessories of motor vehicles' },
      { hs: '870830', description: 'Brakes and servo-brakes and parts thereof' },
      { hs: '870840', description: 'Gear boxes and parts thereof' },
    ],
    container: { size: 40, tonnes: [9, 11] },
    trailer: [9, 12],
    usdPerTonne: [5000, 10000],
    packaging: { type: 'PX', kgPerPackage: 450, tare: 0.05 },
    items: 'general',
    origins: { CN: 4, UZ: 6, TR: 8 },
    source: '§6: 40ft 10 t, USD 5,000-10,000/t; UZ (UzAuto)→AZ; TR→UZ/KG [S75][S101]',
  },
  {
    id: 'appliances',
    group: 'consumer-electronics',
    subheadings: [
      { hs: '841821', description: 'Refrigerators, household, compression-type' },
      { hs: '845011', description: 'Washing machines, fully automatic, of a dry linen capacity not exceeding 10 kg' },
      { hs: '851660', description: 'Ovens, cookers, cooking plates, grillers and roasters' },
      { hs: '841510', description: 'Air conditioning machines, window or wall types' },
    ],
    container: { size: 40, tonnes: [6, 8] },
    trailer: [6, 9],
    usdPerTonne: [3000, 6000],
    packaging: { type: 'CT', kgPerPackage: 45, tare: 0.1 },
    items: 'general',
    origins: { CN: 8, TR: 10 },
    source: '§6: 40ft 6-8 t, USD 3,000-6,000/t; CN→TR (Nanjing train) [S5]',
  },
  {
    id: 'electronics',
    group: 'consumer-electronics',
    subheadings: [
      {
        hs: '847130',
        description: 'Portable automatic data-processing machines (laptops), weighing not more than 10 kg',
      },
      { hs: '851713', description: 'Smartphones' },
      { hs: '852872', description: 'Reception apparatus for television, colour' },
      { hs: '847150', description: 'Processing units of automatic data-processing machines' },
    ],
    container: { size: 40, tonnes: [4, 8] },
    trailer: [4, 8],
    usdPerTonne: [20000, 60000],
    packaging: { type: 'CT', kgPerPackage: 12, tare: 0.12 },
    items: 'general',
    origins: { CN: 8 },
    source: '§6: 40ft / truck 4-8 t, USD 20,000-60,000/t; CN→CA, TM [S95]',
  },
  {
    id: 'consumer-goods-lcl',
    group: 'consumer-electronics',
    subheadings: [
      { hs: '392690', description: 'Other articles of plastics' },
      { hs: '940360', description: 'Other wooden furniture' },
      { hs: '640299', description: 'Footwear with outer soles and uppers of rubber or plastics' },
      { hs: '950300', description: 'Toys, scale models and puzzles' },
      { hs: '732393', description: 'Table, kitchen or household articles of stainless steel' },
      { hs: '420222', description: 'Handbags with outer surface of plastic sheeting or textile' },
      { hs: '961700', description: 'Vacuum flasks and other vacuum vessels' },
      { hs: '630790', description: 'Other made up textile articles' },
      { hs: '940542', description: 'Electric luminaires and light fittings for LED light sources only' },
      { hs: '691200', description: 'Ceramic tableware and kitchenware, other than porcelain' },
    ],
    container: { size: 40, tonnes: [8, 14] },
    trailer: [10, 18],
    usdPerTonne: [3000, 8000],
    packaging: { type: 'CT', kgPerPackage: 18, tare: 0.08 },
    items: 'mixed',
    origins: { CN: 18, TR: 14, PK: 8 },
    source: '§6: mixed consignments, CPMM "assortment" category, truck 10-18 t, USD 3,000-8,000/t [S14]',
  },
  {
    id: 'spices-sports',
    group: 'consumer-electronics',
    subheadings: [
      { hs: '090421', description: 'Fruits of the genus Capsicum or Pimenta, dried, neither crushed nor ground' },
      { hs: '091030', description: 'Turmeric (curcuma)' },
      { hs: '950662', description: 'Inflatable balls' },
      { hs: '950699', description: 'Other articles and equipment for sports or outdoor games' },
    ],
    trailer: [12, 16],
    container: { size: 40, tonnes: [12, 16] },
    usdPerTonne: [2000, 8000],
    packaging: { type: 'CT', kgPerPackage: 20, tare: 0.06 },
    items: 'mixed',
    origins: { PK: 12 },
    source: '§6: truck 15 t, USD 2,000-8,000/t; PK→CA [S87]',
  },
  {
    id: 'building-materials',
    group: 'building',
    subheadings: [
      { hs: '252329', description: 'Portland cement, other than white' },
      { hs: '690721', description: 'Ceramic flags and tiles, water absorption not exceeding 0.5 %' },
      { hs: '700529', description: 'Float glass, non-wired, not coloured' },
    ],
    container: { size: 20, tonnes: [22, 26] },
    trailer: [24, 26],
    wagon: [63, 68],
    usdPerTonne: [60, 600],
    packaging: { type: 'PX', kgPerPackage: 1200, tare: 0.02 },
    items: 'bulk',
    origins: { CN: 5, TR: 8, PK: 10, UZ: 4 },
    source: '§6: truck 25 t, USD 60-300/t; TJ→AF, CN→UZ [S73][S96]; tiles and glass to USD 600/t [E]',
  },
  {
    id: 'cigarettes',
    group: 'consumer-electronics',
    subheadings: [{ hs: '240220', description: 'Cigarettes containing tobacco' }],
    container: { size: 40, tonnes: [8, 10] },
    trailer: [8, 10],
    usdPerTonne: [15000, 30000],
    packaging: { type: 'CT', kgPerPackage: 10, tare: 0.05 },
    items: 'general',
    origins: { TR: 0.5, CN: 0.3 },
    source: 'Excise-sensitive goods at a small share so risk rules see them [E]',
  },
];

export const commodityById: ReadonlyMap<string, Commodity> = new Map(commodities.map((c) => [c.id, c]));
