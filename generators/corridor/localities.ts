// Places and languages for the parties of generated CTDs: real cities with a
// representative postcode per country, and the @faker-js/faker locale whose
// names and street names fit the country. Where faker has no locale for a
// country the nearest fitting one is used and said so.

export interface City {
  name: string;
  postcode: string;
}

export const cities: Readonly<Record<string, readonly City[]>> = {
  KZ: [
    { name: 'Almaty', postcode: '050000' },
    { name: 'Astana', postcode: '010000' },
    { name: 'Shymkent', postcode: '160000' },
    { name: 'Aktau', postcode: '130000' },
    { name: 'Karaganda', postcode: '100000' },
    { name: 'Zharkent', postcode: '041300' },
    { name: 'Aktobe', postcode: '030000' },
  ],
  UZ: [
    { name: 'Tashkent', postcode: '100000' },
    { name: 'Samarkand', postcode: '140100' },
    { name: 'Andijan', postcode: '170100' },
    { name: 'Navoi', postcode: '210100' },
    { name: 'Bukhara', postcode: '200100' },
    { name: 'Fergana', postcode: '150100' },
    { name: 'Termez', postcode: '190100' },
  ],
  KG: [
    { name: 'Bishkek', postcode: '720000' },
    { name: 'Osh', postcode: '723500' },
    { name: 'Kara-Suu', postcode: '723600' },
    { name: 'Naryn', postcode: '722600' },
    { name: 'Tokmok', postcode: '722200' },
  ],
  AZ: [
    { name: 'Baku', postcode: 'AZ1000' },
    { name: 'Ganja', postcode: 'AZ2000' },
    { name: 'Sumqayit', postcode: 'AZ5000' },
    { name: 'Alat', postcode: 'AZ0400' },
    { name: 'Mingachevir', postcode: 'AZ4500' },
  ],
  GE: [
    { name: 'Tbilisi', postcode: '0100' },
    { name: 'Poti', postcode: '4400' },
    { name: 'Batumi', postcode: '6000' },
    { name: 'Kutaisi', postcode: '4600' },
    { name: 'Rustavi', postcode: '3700' },
  ],
  PK: [
    { name: 'Karachi', postcode: '74000' },
    { name: 'Lahore', postcode: '54000' },
    { name: 'Islamabad', postcode: '44000' },
    { name: 'Peshawar', postcode: '25000' },
    { name: 'Sialkot', postcode: '51310' },
    { name: 'Faisalabad', postcode: '38000' },
  ],
  CN: [
    { name: 'Urumqi', postcode: '830000' },
    { name: "Xi'an", postcode: '710000' },
    { name: 'Yiwu', postcode: '322000' },
    { name: 'Chongqing', postcode: '400000' },
    { name: 'Kashgar', postcode: '844000' },
    { name: 'Horgos', postcode: '835221' },
    { name: 'Nanjing', postcode: '210000' },
  ],
  TR: [
    { name: 'Istanbul', postcode: '34000' },
    { name: 'Trabzon', postcode: '61000' },
    { name: 'Ankara', postcode: '06000' },
    { name: 'Kars', postcode: '36000' },
    { name: 'Bursa', postcode: '16000' },
    { name: 'Izmir', postcode: '35000' },
  ],
  TM: [
    { name: 'Ashgabat', postcode: '744000' },
    { name: 'Turkmenbashi', postcode: '745000' },
    { name: 'Turkmenabat', postcode: '746100' },
  ],
  TJ: [
    { name: 'Dushanbe', postcode: '734000' },
    { name: 'Khujand', postcode: '735700' },
  ],
  AF: [
    { name: 'Kabul', postcode: '1001' },
    { name: 'Mazar-i-Sharif', postcode: '1701' },
  ],
  RO: [
    { name: 'Constanta', postcode: '900001' },
    { name: 'Bucharest', postcode: '010011' },
  ],
  BG: [
    { name: 'Burgas', postcode: '8000' },
    { name: 'Sofia', postcode: '1000' },
    { name: 'Varna', postcode: '9000' },
  ],
};

/**
 * Faker locale per country. KZ and KG use Russian (the language of business
 * records there); TM uses Uzbek Latin and TJ Persian as the closest faker has;
 * BG uses English for want of a Bulgarian locale.
 */
export const fakerLocale: Readonly<Record<string, string>> = {
  KZ: 'ru',
  KG: 'ru',
  UZ: 'uz_UZ_latin',
  AZ: 'az',
  GE: 'ka_GE',
  PK: 'ur',
  CN: 'zh_CN',
  TR: 'tr',
  TM: 'uz_UZ_latin',
  TJ: 'fa',
  AF: 'fa',
  RO: 'ro',
  BG: 'en',
};
