// The NDJSON lines of CTD records and plan entries, written field by field
// for their known shape: the text of shared parts (holder, trading partners)
// is encoded once and copied as bytes, the rest is ASCII built in a few
// strings. Byte for byte what JSON.stringify gives (the tests compare both on
// every generated record); defective records, whose shape a defect may
// change, go through JSON.stringify itself.
import type { Ctd } from '../reference/spec/ctd.ts';
import type { CtdRecord, PlanRecord } from './dataset.ts';

/** Where lines go: text and ready-made UTF-8 bytes, then an end of line. */
export interface LineSink {
  text(s: string): void;
  bytes(b: Uint8Array): void;
  endLine(): void;
}

/** Kept on the shared object itself under a symbol (JSON.stringify skips symbol keys; a property read is cheaper than a map lookup). */
const ENCODED = Symbol('encoded JSON');

/** UTF-8 JSON of an object shared by many records (a party), encoded once. */
function shared(o: object): Buffer {
  const holder = o as { [ENCODED]?: Buffer };
  let b = holder[ENCODED];
  if (b === undefined) {
    b = Buffer.from(JSON.stringify(o));
    Object.defineProperty(o, ENCODED, { value: b, enumerable: false });
  }
  return b;
}

const AS_DECLARED = JSON.stringify({ kind: 'as-declared' });
const ASCII_SAFE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
const safeText = new Map<string, string>();

function literal(s: string): string {
  return ASCII_SAFE.test(s) ? `"${s}"` : JSON.stringify(s);
}

/** JSON string literal of a text from a bounded set (goods descriptions), cached. */
function text(s: string): string {
  let json = safeText.get(s);
  if (json === undefined) {
    json = literal(s);
    safeText.set(s, json);
  }
  return json;
}

function goodsItems(items: Ctd['consignment']['goodsItems']): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    let packages = '';
    for (let k = 0; k < it.packages.length; k++) {
      const p = it.packages[k]!;
      packages += `${k > 0 ? ',' : ''}{"typeOfPackages":"${p.typeOfPackages}","numberOfPackages":${p.numberOfPackages}}`;
    }
    out +=
      `${i > 0 ? ',' : ''}{"goodsItemNumber":${it.goodsItemNumber},"description":${text(it.description)},"hsCode":"${it.hsCode}",` +
      `"countryOfOrigin":"${it.countryOfOrigin}","grossMass":${it.grossMass},"netMass":${it.netMass},"packages":[${packages}],` +
      `"value":{"amount":${it.value.amount},"currency":"${it.value.currency}"}}`;
  }
  return out;
}

/** Writes one valid CTD record as a line; codes, references and numbers are generated in safe alphabets. */
function writeValid(sink: LineSink, r: CtdRecord): void {
  const c = r.ctd;
  const o = c.offices;
  const k = c.consignment;
  let schedule = '';
  for (let i = 0; i < r.schedule.length; i++) {
    const s = r.schedule[i]!;
    schedule += `${i > 0 ? ',' : ''}{"office":"${s.office}","role":"${s.role}","hours":${s.hours}}`;
  }
  let transit = '';
  for (let i = 0; i < o.transit.length; i++) transit += `${i > 0 ? ',' : ''}"${o.transit[i]}"`;
  const path = r.path?.kind === 'as-declared' ? AS_DECLARED : JSON.stringify(r.path);
  sink.text(
    `{"seq":${r.seq},"at":"${r.at}","country":"${r.country}","route":"${r.route}","commodity":"${r.commodity}","holderTin":"${r.holderTin}",` +
      `"token":"${r.token}","defect":null,"path":${path},"schedule":[${schedule}],"ctd":{"lrn":"${c.lrn}","declarationType":"${c.declarationType}",` +
      `"additionalDeclarationType":"${c.additionalDeclarationType}","security":${c.security},` +
      `"offices":{"departure":"${o.departure}","transit":[${transit}],"destination":"${o.destination}"},"holder":`,
  );
  sink.bytes(shared(c.holder));
  let guarantees = '';
  for (let i = 0; i < c.guarantees.length; i++) {
    const g = c.guarantees[i]!;
    let refs = '';
    for (let j = 0; j < g.references.length; j++) {
      const ref = g.references[j]!;
      refs += `${j > 0 ? ',' : ''}{"grn":"${ref.grn}","accessCode":"${ref.accessCode}","amountToBeCovered":${ref.amountToBeCovered},"currency":"${ref.currency}"}`;
    }
    guarantees += `${i > 0 ? ',' : ''}{"type":"${g.type}","references":[${refs}]}`;
  }
  sink.text(
    `,"guarantees":[${guarantees}],"consignment":{"countryOfDispatch":"${k.countryOfDispatch}","countryOfDestination":"${k.countryOfDestination}",` +
      `"containerIndicator":${k.containerIndicator},"inlandModeOfTransport":"${k.inlandModeOfTransport}","modeOfTransportAtTheBorder":"${k.modeOfTransportAtTheBorder}",` +
      `"grossMass":${k.grossMass},"consignor":`,
  );
  sink.bytes(shared(k.consignor));
  sink.text(',"consignee":');
  sink.bytes(shared(k.consignee));
  let routing = '';
  for (let i = 0; i < k.countriesOfRouting.length; i++) routing += `${i > 0 ? ',' : ''}"${k.countriesOfRouting[i]}"`;
  let means = '';
  for (let i = 0; i < k.departureTransportMeans.length; i++) {
    const m = k.departureTransportMeans[i]!;
    means += `${i > 0 ? ',' : ''}{"typeOfIdentification":"${m.typeOfIdentification}","identificationNumber":${literal(m.identificationNumber)},"nationality":"${m.nationality}"}`;
  }
  let active = '';
  const activeMeans = k.activeBorderTransportMeans ?? [];
  for (let i = 0; i < activeMeans.length; i++) {
    const m = activeMeans[i]!;
    active += `${i > 0 ? ',' : ''}{"customsOfficeAtBorder":"${m.customsOfficeAtBorder}","modeOfTransport":"${m.modeOfTransport}","typeOfIdentification":"${m.typeOfIdentification}","identificationNumber":${literal(m.identificationNumber)},"nationality":"${m.nationality}"}`;
  }
  let equipment = '';
  for (let i = 0; i < k.transportEquipment.length; i++) {
    const e = k.transportEquipment[i]!;
    let seals = '';
    for (let s = 0; s < e.seals.length; s++) seals += `${s > 0 ? ',' : ''}{"identifier":"${e.seals[s]!.identifier}"}`;
    equipment += `${i > 0 ? ',' : ''}{${e.containerIdentificationNumber === undefined ? '' : `"containerIdentificationNumber":"${e.containerIdentificationNumber}",`}"seals":[${seals}]}`;
  }
  sink.text(
    `,"countriesOfRouting":[${routing}],"departureTransportMeans":[${means}],${k.activeBorderTransportMeans === undefined ? '' : `"activeBorderTransportMeans":[${active}],`}"transportEquipment":[${equipment}],"goodsItems":[${goodsItems(k.goodsItems)}]}}}`,
  );
  sink.endLine();
}

export function writeCtdRecord(sink: LineSink, r: CtdRecord): void {
  if (r.defect !== null) {
    sink.text(JSON.stringify(r));
    sink.endLine();
  } else writeValid(sink, r);
}

/** The plan line's JSON text (all fields in safe alphabets). */
export function planRecordJson(p: PlanRecord): string {
  return `{"seq":${p.seq},"at":"${p.at}","offsetMs":${p.offsetMs},"country":"${p.country}","route":"${p.route}","lrn":"${p.lrn}"}`;
}
